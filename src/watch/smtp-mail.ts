import { createConnection, type Socket } from 'node:net';

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
}

/** RFC 2047 encoded-word: a Japanese subject in UTF-8. */
const encodedWord = (text: string) => `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;

/**
 * Sends one plain-text UTF-8 mail over SMTP (RFC 5321) to a relay on the board's network, without
 * authentication or TLS (a relay that accepts the server's address: the usual municipal set-up). The board
 * workspace's mail service replaces this when it exists. Every reply is checked; a refusal throws.
 */
export async function sendMail(smtp: { host: string; port: number }, message: MailMessage): Promise<void> {
  const socket: Socket = createConnection(smtp.port, smtp.host);
  socket.setEncoding('utf8');
  socket.setTimeout(15_000, () => socket.destroy(new Error('SMTP server did not answer within 15 s')));
  let buffer = '';
  const waiting: ((line: string) => void)[] = [];
  const failed: ((error: Error) => void)[] = [];
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    // A reply's last line is "NNN text" (a hyphen after the code marks a line that continues it).
    for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) waiting.shift()?.(line);
    }
  });
  socket.on('error', (error) => failed.forEach((reject) => reject(error)));
  const reply = (expected: number) =>
    new Promise<void>((resolve, reject) => {
      failed.push(reject);
      waiting.push((line) => {
        const code = Number(line.slice(0, 3));
        if (Math.floor(code / 100) === Math.floor(expected / 100)) resolve();
        else reject(new Error(`SMTP server answered "${line}"`));
      });
    });
  const send = (line: string, expected: number) => {
    const answer = reply(expected);
    socket.write(`${line}\r\n`);
    return answer;
  };
  try {
    await reply(220);
    await send('HELO shirube', 250);
    await send(`MAIL FROM:<${message.from}>`, 250);
    await send(`RCPT TO:<${message.to}>`, 250);
    await send('DATA', 354);
    const body = Buffer.from(message.text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
    const data = [
      `From: ${message.from}`,
      `To: ${message.to}`,
      `Subject: ${encodedWord(message.subject)}`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: base64',
      '',
      body,
      '.',
    ].join('\r\n');
    await send(data, 250);
    await send('QUIT', 221);
  } finally {
    socket.end();
  }
}

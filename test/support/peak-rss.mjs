// Preloaded into a child process (node --import) by measured-cli.ts: prints the process's peak RSS as it exits.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\n[peak-rss-kb] ${process.resourceUsage().maxRSS}\n`);
});

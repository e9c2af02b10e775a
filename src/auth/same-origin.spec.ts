import { canonicalOrigin, crossOriginRefusal } from './same-origin.js';

const request = (method: string, headers: Record<string, string>, ownOrigin = 'http://127.0.0.1:3000') => ({
  method,
  ownOrigin,
  header: (name: string) => headers[name.toLowerCase()],
});

describe('the same-origin rule', () => {
  it('lets reads and bearer-token calls through whatever they say', () => {
    expect(crossOriginRefusal(request('GET', { origin: 'http://evil.example' }))).toBeNull();
    expect(
      crossOriginRefusal(request('POST', { authorization: 'Bearer x', origin: 'http://evil.example' })),
    ).toBeNull();
  });

  it('takes a change from its own origin, spelt any way', () => {
    expect(crossOriginRefusal(request('POST', { origin: 'http://127.0.0.1:3000' }))).toBeNull();
    expect(crossOriginRefusal(request('PUT', { origin: 'HTTP://127.0.0.1:3000' }))).toBeNull();
    expect(
      crossOriginRefusal(request('POST', { origin: 'https://shirube.example.jp' }, 'https://shirube.example.jp:443')),
    ).toBeNull();
    expect(crossOriginRefusal(request('POST', { 'sec-fetch-site': 'same-origin' }))).toBeNull();
    expect(crossOriginRefusal(request('POST', { 'sec-fetch-site': 'none' }))).toBeNull();
  });

  it('refuses any other origin, and a change that does not say where it comes from', () => {
    const refused: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { origin: 'http://127.0.0.1:3001' },
      { origin: 'https://127.0.0.1:3000' },
      { origin: 'null' },
      { origin: 'not a url' },
      { origin: 'http://evil.example', 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
      {},
    ];
    for (const headers of refused) expect(crossOriginRefusal(request('POST', headers))).toEqual(expect.any(String));
  });

  it('judges by the public origin when one is configured', () => {
    const behindProxy = (origin: string) => request('POST', { origin }, 'https://shirube.example.jp');
    expect(crossOriginRefusal(behindProxy('https://shirube.example.jp'))).toBeNull();
    expect(crossOriginRefusal(behindProxy('http://127.0.0.1:3000'))).toEqual(expect.any(String));
    expect(canonicalOrigin('null')).toBeNull();
  });
});

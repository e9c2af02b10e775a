import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findInvalidUtf8 } from './source-file.js';

describe('findInvalidUtf8', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shirube-utf8-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const check = (...parts: (string | number[])[]) => {
    const path = join(dir, `f${n++}.csv`);
    writeFileSync(path, Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))));
    return findInvalidUtf8(path);
  };
  const CHUNK = 8 << 20;

  it('accepts UTF-8, a BOM and a character cut by the 8 MB chunk boundary', async () => {
    expect(await check([0xef, 0xbb, 0xbf], 'a,b\n東京,"x\ny"\n')).toBeNull();
    // '東' is 3 bytes: placed to straddle the end of the first chunk.
    expect(await check('a'.repeat(CHUNK - 1), '東', '\n')).toBeNull();
    expect(await check('a'.repeat(CHUNK - 2), '😀', '\n')).toBeNull();
  });

  it('names the line, character and CSV field of the first bad byte, past quoted newlines and chunks', async () => {
    expect(await check('a,b\nx,y', [0xb7], 'z\n')).toEqual({
      line: 2,
      character: 4,
      field: 1,
      byte: 0xb7,
      multiByteBefore: 0,
    });
    expect(await check('a,b\n"x\n,q",東', [0xe3, 0x81], '\n')).toEqual({
      line: 3,
      character: 6,
      field: 1,
      byte: 0xe3,
      multiByteBefore: 1,
    });
    const far = await check('a\n'.repeat(CHUNK), 'ab,', [0xff]);
    expect(far).toEqual({ line: CHUNK + 1, character: 4, field: 1, byte: 0xff, multiByteBefore: 0 });
  });

  it('refuses overlong forms, surrogates, code points past U+10FFFF and a character the end cuts short', async () => {
    expect(await check('x', [0xc0, 0x80])).toMatchObject({ character: 2, byte: 0xc0 });
    expect(await check('x', [0xed, 0xa0, 0x80])).toMatchObject({ character: 2, byte: 0xed });
    expect(await check('x', [0xf4, 0x90, 0x80, 0x80])).toMatchObject({ character: 2, byte: 0xf4 });
    expect(await check('x', [0xe6, 0x9d])).toMatchObject({ character: 2, byte: 0xe6 });
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { encodingOf, findInvalidShiftJis, utf8CopyOf } from './encoding.js';

describe('the encodings a CSV may come in', () => {
  let dir: string;
  let n = 0;
  const file = (bytes: Buffer) => {
    const path = join(dir, `f${n++}.csv`);
    writeFileSync(path, bytes);
    return path;
  };
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'shirube-encoding-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const sjis = (text: string) => iconv.encode(text, 'cp932');

  it('reads UTF-8 (with or without a BOM) as UTF-8, and Excel’s Shift_JIS as Shift_JIS', async () => {
    expect(await encodingOf(file(Buffer.from('a,b\n東小学校,ｶﾅ\n')))).toEqual({ encoding: 'utf-8' });
    expect(await encodingOf(file(Buffer.from('\uFEFFa,b\n東,1\n')))).toEqual({ encoding: 'utf-8' });
    expect(await encodingOf(file(sjis('a,b\n東小学校,①髙﨑\n')))).toEqual({ encoding: 'shift_jis' });
  });

  it('takes a file with no kanji or kana for broken, not for Shift_JIS, unless told', async () => {
    const katakanaOnly = file(Buffer.from([0x61, 0x2c, 0xb1, 0x0a]));
    expect((await encodingOf(katakanaOnly)).encoding).toBeNull();
    expect(await encodingOf(katakanaOnly, 'shift_jis')).toEqual({ encoding: 'shift_jis' });
  });

  it('takes a UTF-8 file with kanji before one bad byte for broken UTF-8, not for Shift_JIS (bench/fuzz)', async () => {
    // Read as Shift_JIS, its bytes happen to be valid CP932: every name in it would load garbled.
    const bytes = Buffer.concat([
      Buffer.from('sourcedId,name,type\norg-district,中央市教育委員会'),
      Buffer.from([0x80]),
      Buffer.from(',district\n'),
    ]);
    expect((await findInvalidShiftJis(file(bytes))).defect).toBeNull();
    const read = await encodingOf(file(bytes));
    expect(read).toMatchObject({ encoding: null, defect: { byte: 0x80, line: 2, field: 1 } });
    expect(await encodingOf(file(bytes), 'shift_jis')).toEqual({ encoding: 'shift_jis' });
  });

  it('says where a file stops being Shift_JIS: a bad trail byte, a byte no character starts with, an unassigned pair', async () => {
    const at = async (bytes: number[]) => (await findInvalidShiftJis(file(Buffer.from(bytes)))).defect;
    expect(await at([0x61, 0x2c, 0x0a, 0x62, 0x2c, 0x93, 0x2c])).toMatchObject({ byte: 0x93, line: 2, field: 1 });
    expect(await at([0x61, 0x80])).toMatchObject({ byte: 0x80, line: 1, character: 2 });
    expect(await at([0x85, 0x40])).toMatchObject({ byte: 0x85 }); // row 0x85 holds no character in CP932
    expect(await at([0x93, 0x8c])).toBeNull(); // 東
    expect(await at([0x93])).toMatchObject({ byte: 0x93 }); // cut off after a lead byte
  });

  it('copies a Shift_JIS file into UTF-8 under its own name', async () => {
    const source = file(sjis('code,name\nB1,東小学校\n'));
    const copy = await utf8CopyOf(source, dir);
    expect(copy.endsWith(source.slice(dir.length))).toBe(true);
    expect(readFileSync(copy, 'utf8')).toBe('code,name\nB1,東小学校\n');
  });
});

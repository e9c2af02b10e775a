import { toCsv } from '../cohorts/cohort-output.js';
import { csvCell, csvField, csvFile } from './csv.js';

describe('CSV cells', () => {
  it.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
  ])('neutralises text a spreadsheet would run as a formula: %j', (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  it('keeps numbers numbers, and other text as it is', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell(12)).toBe('12');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell('中央小学校')).toBe('中央小学校');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('1 = 1')).toBe('1 = 1');
  });

  it('writes a file for people with a BOM and CRLF', () => {
    expect(
      csvFile([
        ['名前', '値'],
        ['=1', -1],
      ]),
    ).toBe("\uFEFF名前,値\r\n'=1,-1\r\n");
  });

  it('leaves a field for machines exactly as given', () => {
    expect(csvField('-1')).toBe('-1');
    expect(csvField('=x')).toBe('=x');
    expect(csvField('a"b')).toBe('"a""b"');
  });

  it('is what a cohort table CSV is written with', () => {
    const csv = toCsv({
      columns: ['group', 'change'],
      rows: [
        { group: '=1+1', change: -1.5 },
        { group: 'b', change: null },
      ],
    }).toString('utf8');
    expect(csv).toBe("\uFEFFgroup,change\r\n'=1+1,-1.5\r\nb,\r\n");
  });
});

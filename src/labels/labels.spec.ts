import {
  academicYearLabel,
  dateLabel,
  dimensionLabel,
  dimensionOrder,
  dimensionValueLabel,
  label,
  programmeGroupLabel,
} from './labels.js';

describe('the label catalogue', () => {
  it('puts grades, sexes, reasons and forms into words, in Japanese and English', () => {
    expect(dimensionValueLabel('grade', 'P1')).toBe('小1');
    expect(dimensionValueLabel('grade', 'J3')).toBe('中3');
    expect(dimensionValueLabel('sex', 'female')).toBe('女');
    expect(dimensionValueLabel('sex', 'male', 'en')).toBe('Male');
    expect(dimensionValueLabel('reason', 'non_attendance')).toBe('不登校');
    expect(dimensionValueLabel('type', '8')).toBe('パソコンや携帯電話等で、ひぼう・中傷や嫌なことをされる');
    expect(dimensionValueLabel('kind', 'special_needs')).toBe('特別支援学級');
    expect(label('responseStatus', 'not_opened')).toBe('未開封');
    expect(label('boolean', true)).toBe('はい');
    expect(dimensionLabel('grade')).toBe('学年');
    expect(dimensionLabel('type', 'en')).toBe('Form');
  });

  it('keeps a value no vocabulary knows as it is', () => {
    expect(dimensionValueLabel('subject', '国語')).toBe('国語');
    expect(label('grade', 'X9')).toBe('X9');
  });

  it('names programme groups', () => {
    expect(programmeGroupLabel('adopted_2024')).toBe('2024年度導入');
    expect(programmeGroupLabel('never')).toBe('未導入');
    expect(programmeGroupLabel('adopted_2024', 'en')).toBe('Adopted FY2024');
  });

  it('sorts codes in the order people expect', () => {
    expect(['J1', 'P2', 'P10', 'P1'].sort(dimensionOrder('grade'))).toEqual(['P1', 'P2', 'J1', 'P10']);
    expect(['female', 'male'].sort(dimensionOrder('sex'))).toEqual(['male', 'female']);
    expect(['b', 'a'].sort(dimensionOrder('subject'))).toEqual(['a', 'b']);
  });

  it('writes school years and dates in 和暦 beside the western year', () => {
    expect(academicYearLabel(2025)).toBe('令和7年度 (2025年度)');
    expect(academicYearLabel(2019)).toBe('令和元年度 (2019年度)');
    expect(academicYearLabel(2018)).toBe('平成30年度 (2018年度)');
    expect(academicYearLabel(1989)).toBe('平成元年度 (1989年度)');
    expect(academicYearLabel(2025, 'en')).toBe('FY2025 (April 2025 – March 2026)');
    expect(dateLabel('2025-05-01')).toBe('令和7年5月1日 (2025年5月1日)');
    expect(dateLabel('2019-04-30')).toBe('平成31年4月30日 (2019年4月30日)');
    expect(dateLabel('2019-05-01')).toBe('令和元年5月1日 (2019年5月1日)');
    expect(dateLabel('2025-05-01', 'en')).toBe('1 May 2025');
  });
});

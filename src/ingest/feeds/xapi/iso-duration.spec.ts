import { parseIsoDuration } from './iso-duration.js';

describe('parseIsoDuration', () => {
  it.each([
    ['PT4H35M20.00S', 16520],
    ['PT20S', 20],
    ['PT0S', 0],
    ['PT1.5S', 1.5],
    ['PT1,5M', 90],
    ['PT36H', 129600],
    ['P1D', 86400],
    ['P1DT2H', 93600],
    ['P2W', 1209600],
    ['P1W2DT3H4M5.5S', 788645.5],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseIsoDuration(text)).toBe(seconds);
  });

  it.each([
    ['P', 'no part'],
    ['PT', 'T with no time part'],
    ['P1DT', 'a dangling T'],
    ['P1Y', 'years have no fixed length'],
    ['P1M', 'months have no fixed length'],
    ['P1Y2M3DT4H', 'years and months among other parts'],
    ['PT-1S', 'a negative part'],
    ['-PT1S', 'a negative duration'],
    ['pt1s', 'lower case designators'],
    ['PT1.S', 'a fraction without digits'],
    ['PT1H2H', 'a repeated unit'],
    ['PT2M1H', 'units out of order'],
    ['T1H', 'no leading P'],
    ['4:35:20', 'a clock time'],
    ['', 'empty text'],
    [' PT1S', 'surrounding spaces'],
  ])('%j is refused (%s)', (text) => {
    expect(parseIsoDuration(text)).toBeNull();
  });
});

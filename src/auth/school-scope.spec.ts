import type { Actor } from '../common/request-context.js';
import { assertSchoolAccess, schoolCodesNamedBy, schoolFilter } from './school-scope.js';

const school: Actor = { userId: 'u1', name: 'a', role: 'school', schoolCode: 'B113210000014' };
const board: Actor = { userId: 'u2', name: 'b', role: 'board_admin', schoolCode: null };

describe('school scope', () => {
  it('finds every school code a request names: route, query and body', () => {
    const codes = schoolCodesNamedBy({
      params: { schoolCode: 'P' },
      query: { school: 'Q', schoolCode: ['R', 'S'] },
      body: { schoolCode: 'T', schoolCodes: ['U', 7] },
    } as never);
    expect(codes).toEqual(['P', 'Q', 'R', 'S', 'T', 'U']);
    expect(schoolCodesNamedBy({ params: {}, query: {}, body: undefined } as never)).toEqual([]);
  });

  it('lets a school act on its own school only, and the board on any', () => {
    expect(() => assertSchoolAccess(school, 'B113210000014')).not.toThrow();
    expect(() => assertSchoolAccess(school, 'C113210000012')).toThrow(/not yours/);
    expect(() => assertSchoolAccess(board, 'C113210000012')).not.toThrow();
  });

  it('limits lists to the school for a school user only', () => {
    expect(schoolFilter(school)).toEqual(['B113210000014']);
    expect(schoolFilter(board)).toBeUndefined();
  });
});

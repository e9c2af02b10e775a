import { ChartRenderer, ChartSpecError } from './chart-renderer.js';

/** The items vega drew for one mark group (`<g class="mark-rect role-mark ...">…</g>`). */
function markItems(svg: string, markClass: string): string[] {
  const groups = [...svg.matchAll(new RegExp(`<g class="mark-${markClass} role-mark[^"]*"[^>]*>(.*?)</g>`, 'g'))];
  return groups.flatMap((group) => [...group[1].matchAll(/<(?:path|line)\b/g)].map((m) => m[0]));
}

const attendance = [
  { school: '第一小学校', rate: 0.95 },
  { school: '第二小学校', rate: 0.91 },
  { school: '桜中学校', rate: 0.88 },
];

const barSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: '学校別出席率',
  data: { name: 'table' },
  mark: 'bar',
  encoding: {
    x: { field: 'school', type: 'nominal', title: '学校' },
    y: { field: 'rate', type: 'quantitative', title: '出席率' },
  },
};

describe('ChartRenderer', () => {
  const renderer = new ChartRenderer();

  it('renders a bar chart with a Japanese title: the title text and one bar per row', async () => {
    const svg = await renderer.toSvg('attendance-by-school', barSpec, { table: attendance });

    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('学校別出席率');
    expect(svg).toContain('第二小学校');
    expect(svg).toContain('Noto Sans CJK JP');
    expect(markItems(svg, 'rect')).toHaveLength(attendance.length);
  });

  it('takes the size from the options', async () => {
    const svg = await renderer.toSvg(
      'attendance-by-school',
      barSpec,
      { table: attendance },
      { width: 400, height: 120 },
    );

    const width = Number(/^<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);
    expect(width).toBeGreaterThan(400);
    expect(width).toBeLessThan(520);
  });

  it('fails the check of an unknown mark with an error naming the spec', async () => {
    const bad = { ...barSpec, mark: 'barz' };

    await expect(renderer.check('enrolment-trend', bad)).rejects.toThrow(ChartSpecError);
    await expect(renderer.check('enrolment-trend', bad)).rejects.toThrow(/enrolment-trend.*unknown mark "barz"/);
    await expect(renderer.toSvg('enrolment-trend', bad, { table: attendance })).rejects.toMatchObject({
      name: 'ChartSpecError',
      spec: 'enrolment-trend',
    });
  });

  it('fails the check of an unknown mark inside a layer, naming where', async () => {
    const bad = { data: { name: 'table' }, layer: [{ mark: 'line' }, { mark: { type: 'errorbars' } }] };

    await expect(renderer.check('effects', bad)).rejects.toThrow(/"effects".*"errorbars" at layer\[1\]\.mark/);
  });

  it('fails the check of an invalid encoding channel, field type or aggregate', async () => {
    const channel = { ...barSpec, encoding: { ...barSpec.encoding, colour: { field: 'school', type: 'nominal' } } };
    const type = { ...barSpec, encoding: { ...barSpec.encoding, y: { field: 'rate', type: 'quantitive' } } };
    const aggregate = {
      ...barSpec,
      encoding: { ...barSpec.encoding, y: { field: 'rate', type: 'quantitative', aggregate: 'avg' } },
    };

    await expect(renderer.check('channel', channel)).rejects.toThrow(
      /"channel".*colour is not a valid encoding channel/,
    );
    await expect(renderer.check('type', type)).rejects.toThrow(
      /"type".*unknown field type "quantitive" at encoding\.y\.type/,
    );
    await expect(renderer.check('aggregate', aggregate)).rejects.toThrow(
      /"aggregate".*Invalid aggregation operator "avg"/,
    );
  });

  it('fails the check of a spec that is not a view, and of a bad expression', async () => {
    const notAView = { data: { values: [] }, encoding: {} };
    const badExpression = { ...barSpec, transform: [{ calculate: 'datum.rate *', as: 'pct' }] };

    await expect(renderer.check('not-a-view', notAView)).rejects.toThrow(/"not-a-view" does not compile/);
    await expect(renderer.check('bad-expression', badExpression)).rejects.toThrow(ChartSpecError);
  });

  it('passes the check of a valid spec without its rows', async () => {
    await expect(renderer.check('attendance-by-school', barSpec)).resolves.toBeUndefined();
  });

  it('refuses data loaded from a URL', async () => {
    const fromFile = { ...barSpec, data: { url: 'file:///etc/passwd', format: { type: 'csv' } } };

    await expect(renderer.check('leaky', fromFile)).rejects.toThrow(/"leaky" loads data from a URL at data/);
  });

  it('injects named datasets, in layers and lookups too', async () => {
    const spec = {
      data: { name: 'schools' },
      transform: [{ lookup: 'id', from: { data: { name: 'names' }, key: 'id', fields: ['label'] } }],
      layer: [
        { mark: 'bar', encoding: { x: { field: 'label', type: 'nominal' }, y: { field: 'n', type: 'quantitative' } } },
        {
          data: { name: 'target' },
          mark: 'rule',
          encoding: { y: { field: 'n', type: 'quantitative' } },
        },
      ],
    };
    const svg = await renderer.toSvg('enrolment', spec, {
      schools: [
        { id: 1, n: 120n },
        { id: 2, n: 340n },
      ],
      names: [
        { id: 1, label: '北小学校' },
        { id: 2, label: '南小学校' },
      ],
      target: [{ n: 200 }],
    });

    expect(svg).toContain('北小学校');
    expect(svg).toContain('南小学校');
    expect(markItems(svg, 'rect')).toHaveLength(2);
    expect(markItems(svg, 'rule')).toHaveLength(1);
  });

  it('takes a single dataset as the data of a spec that has none', async () => {
    const { data: _ignored, ...withoutData } = barSpec;

    const svg = await renderer.toSvg('no-data', withoutData, { rows: attendance });

    expect(markItems(svg, 'rect')).toHaveLength(attendance.length);
  });

  it('names the dataset a spec reads when no rows were given for it', async () => {
    await expect(renderer.toSvg('attendance-by-school', barSpec, { other: attendance })).rejects.toThrow(
      /"attendance-by-school" reads dataset "table" but no rows were given/,
    );
  });

  it('renders a layered event-study chart: a line with error bars and a zero rule', async () => {
    const year = { field: 'year', type: 'ordinal', title: '導入からの年数' };
    const eventStudy = {
      title: { text: 'イベントスタディ：導入前後の効果（95%信頼区間）' },
      data: { name: 'effects' },
      layer: [
        { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { y: { datum: 0 } } },
        {
          mark: { type: 'line', point: true },
          encoding: { x: year, y: { field: 'estimate', type: 'quantitative', title: '推定効果（日）' } },
        },
        {
          mark: 'errorbar',
          encoding: { x: year, y: { field: 'lower', type: 'quantitative' }, y2: { field: 'upper' } },
        },
      ],
    };
    const effects = [-3, -2, -1, 0, 1, 2].map((year) => ({
      year,
      estimate: year < 0 ? 0.01 * year : -0.4 * year,
      lower: (year < 0 ? 0.01 * year : -0.4 * year) - 0.3,
      upper: (year < 0 ? 0.01 * year : -0.4 * year) + 0.3,
    }));

    const svg = await renderer.toSvg('event-study', eventStudy, { effects });

    expect(svg).toContain('イベントスタディ：導入前後の効果（95%信頼区間）');
    expect(svg).not.toContain('undefined');
    expect(markItems(svg, 'line')).toHaveLength(1);
    expect(markItems(svg, 'symbol')).toHaveLength(effects.length);
    // one rule per error bar, plus the zero line
    expect(markItems(svg, 'rule').length).toBeGreaterThanOrEqual(effects.length + 1);
  });
});

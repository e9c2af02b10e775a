/**
 * xapi/statements.ndjson: learning-app activity as xAPI statements, one JSON object a line, in
 * the shape of the Japanese education data profile (jpedudataspec) used in the Digital Agency's
 * 2022 demonstration: actor by `account {homePage, name}` where name is the student's
 * LearningApp ID from the roster's `userIds`; `result.duration` in ISO 8601; timestamps in JST.
 * As real exports do, a few statements arrive twice (same `id`) and a few belong to accounts the
 * board's roster does not know (a teacher's test account, a child who moved away).
 */
import type { SchoolYearGrid } from './attendance-model.js';
import type { BufferedFileWriter } from './buffered-writer.js';
import { formatDate } from './calendar.js';
import { XAPI } from './demo-parameters.js';
import type { PlannedSchool } from './municipality-plan.js';
import type { Population } from './population.js';
import { hashKeys, hex32, permute32, Rng } from './random.js';
import { STREAM } from './streams.js';

interface Activity {
  json: string;
  kind: 'drill' | 'quiz' | 'video';
}

const ACTIVITY_TYPE = {
  drill: 'http://adlnet.gov/expapi/activities/interaction',
  quiz: 'http://adlnet.gov/expapi/activities/assessment',
  video: 'http://adlnet.gov/expapi/activities/media',
} as const;

function activities(level: 'e' | 'j', rows: [string, string, Activity['kind']][]): Activity[] {
  return rows.map(([slug, name, kind]) => ({
    kind,
    json: JSON.stringify({
      objectType: 'Activity',
      id: `${XAPI.homePage}/activities/${level}/${slug}`,
      definition: { name: { ja: name }, type: ACTIVITY_TYPE[kind] },
    }),
  }));
}

const ELEMENTARY = activities('e', [
  ['kokugo/kanji-drill', '漢字ドリル', 'drill'],
  ['kokugo/monogatari', '物語文の読み取り', 'quiz'],
  ['kokugo/kotowaza', 'ことわざ・慣用句', 'drill'],
  ['sansu/kuku', 'かけ算九九', 'drill'],
  ['sansu/bunsu-tashizan', '分数のたし算', 'drill'],
  ['sansu/shosu-kakezan', '小数のかけ算', 'drill'],
  ['sansu/menseki', '図形の面積', 'quiz'],
  ['sansu/warizan-video', 'わり算の考え方（動画）', 'video'],
  ['rika/tenki', '天気の変化', 'video'],
  ['shakai/chikei', '日本の地形', 'quiz'],
  ['gaikokugo/alphabet', 'アルファベット', 'drill'],
  ['gaikokugo/greetings', 'あいさつの表現（動画）', 'video'],
]);
const JUNIOR_HIGH = activities('j', [
  ['kokugo/kobun', '古文入門', 'quiz'],
  ['kokugo/kanji', '漢字の読み書き', 'drill'],
  ['sugaku/ichiji-hoteishiki', '一次方程式', 'drill'],
  ['sugaku/renritsu', '連立方程式', 'drill'],
  ['sugaku/niji-kansu', '二次関数', 'quiz'],
  ['sugaku/shomei', '図形の証明（動画）', 'video'],
  ['eigo/be-verb', 'be動詞と一般動詞', 'drill'],
  ['eigo/genzai-kanryo', '現在完了形', 'quiz'],
  ['eigo/listening', 'リスニング演習', 'video'],
  ['rika/kagaku-henka', '化学変化と原子・分子', 'quiz'],
  ['rika/denryu', '電流と磁界（動画）', 'video'],
  ['shakai/edo', '江戸時代の社会', 'quiz'],
]);

const VERBS = {
  answered: '{"id":"http://adlnet.gov/expapi/verbs/answered","display":{"en-US":"answered"}}',
  completed: '{"id":"http://adlnet.gov/expapi/verbs/completed","display":{"en-US":"completed"}}',
  experienced: '{"id":"http://adlnet.gov/expapi/verbs/experienced","display":{"en-US":"experienced"}}',
};
const CONTEXT = JSON.stringify({
  platform: 'しるべ学習アプリ',
  language: 'ja-JP',
  contextActivities: {
    category: [{ id: XAPI.profile, definition: { type: 'https://w3id.org/xapi/jpedudataspec/activities/profile' } }],
  },
});

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** ISO 8601 duration without fractions: PT12M30S, PT1H5M0S. */
export function isoDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `PT${h > 0 ? `${h}H` : ''}${m}M${s}S`;
}

export interface XapiTally {
  lines: number;
  duplicates: number;
  unlinked: number;
  /** Seconds of the distinct statements of this school's students (what app minutes are made of). */
  linkedSeconds: number;
}

export async function writeXapiStatements(
  out: BufferedFileWriter,
  fy: number,
  school: PlannedSchool,
  grid: SchoolYearGrid,
  pop: Population,
  seed: number,
  learningAppKey: number,
  learningAppIdOf: (k: number) => string,
): Promise<XapiTally> {
  const rng = Rng.stream(seed, STREAM.xapi, school.index, fy);
  const list = school.type === 'elementary' ? ELEMENTARY : JUNIOR_HIGH;
  const D = grid.days.length;
  const tally: XapiTally = { lines: 0, duplicates: 0, unlinked: 0, linkedSeconds: 0 };
  if (D === 0) return tally;
  const dates = Array.from(grid.days, formatDate);

  const statement = (actor: string, ability: number): { line: string; seconds: number } => {
    const activity = list[rng.int(list.length)];
    const seconds = Math.min(5400, Math.max(60, Math.round(60 * rng.lognormalWithMean(20, 0.6))));
    const day = rng.int(D);
    const atSchool = rng.chance(0.6);
    const clock = atSchool ? 9 * 3600 + rng.int(6.5 * 3600) : 17 * 3600 + rng.int(4.5 * 3600);
    const timestamp = `${dates[day]}T${pad(Math.floor(clock / 3600))}:${pad(Math.floor((clock % 3600) / 60))}:${pad(clock % 60)}.${pad(rng.int(1000), 3)}+09:00`;
    let verb = VERBS.experienced;
    let result = `{"completion":true,"duration":"${isoDuration(seconds)}"}`;
    if (activity.kind !== 'video') {
      verb = activity.kind === 'drill' && rng.chance(0.7) ? VERBS.answered : VERBS.completed;
      const raw = Math.min(100, Math.max(0, Math.round(62 + 12 * ability + 12 * rng.normal())));
      const scaled = raw / 100;
      result = `{"score":{"scaled":${scaled},"raw":${raw},"min":0,"max":100},"success":${raw >= 60},"completion":true,"duration":"${isoDuration(seconds)}"}`;
    }
    const account = `{"objectType":"Agent","account":{"homePage":"${XAPI.homePage}","name":"${actor}"}}`;
    const line = `{"id":"${rng.uuid()}","actor":${account},"verb":${verb},"object":${activity.json},"result":${result},"context":${CONTEXT},"timestamp":"${timestamp}"}`;
    return { line, seconds };
  };

  let unlinkedSeq = 0;
  for (let k = 0; k < grid.students.length; k++) {
    const i = grid.students[k];
    const count = rng.poisson(XAPI.statementsPerStudentYear * school.appUse * pop.appUse[i]);
    for (let s = 0; s < count; s++) {
      const { line, seconds } = statement(learningAppIdOf(k), pop.ability[i]);
      tally.linkedSeconds += seconds;
      tally.lines++;
      let block = out.line(line);
      if (rng.chance(XAPI.duplicateRate)) {
        block = out.line(line) || block;
        tally.lines++;
        tally.duplicates++;
      }
      if (rng.chance(XAPI.unlinkedRate)) {
        // An account outside the roster: IDs from index 2^31 up, which no student number reaches.
        const stranger = 0x80000000 + (hashKeys([school.index, fy, unlinkedSeq++]) & 0x7fffffff);
        block = out.line(statement(`la-${hex32(permute32(stranger, learningAppKey))}`, 0).line) || block;
        tally.lines++;
        tally.unlinked++;
      }
      if (block) await out.drain();
    }
  }
  return tally;
}

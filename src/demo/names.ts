/**
 * Embedded name lists for the synthetic municipality: common Japanese family names, given names
 * by generation, and place names for schools. Every person is invented; only the names are real.
 * Kana are katakana, as in the Japan profile's `metadata.jp.kana*Name` columns.
 */

export interface PersonName {
  kanji: string;
  kana: string;
  /** Hepburn-ish romanisation, used only for teachers' usernames and e-mail addresses. */
  romaji: string;
}

type Row = [string, string, string];
const toNames = (rows: Row[]): PersonName[] => rows.map(([kanji, kana, romaji]) => ({ kanji, kana, romaji }));

/** Sorted by kana (code-point order of katakana is 五十音, gojūon, order), so a smaller index sorts first. */
const byKana = (a: PersonName, b: PersonName): number => (a.kana < b.kana ? -1 : a.kana > b.kana ? 1 : a.kanji < b.kanji ? -1 : 1);

export const FAMILY_NAMES: readonly PersonName[] = toNames([
  ['佐藤', 'サトウ', 'sato'], ['鈴木', 'スズキ', 'suzuki'], ['高橋', 'タカハシ', 'takahashi'], ['田中', 'タナカ', 'tanaka'],
  ['伊藤', 'イトウ', 'ito'], ['渡辺', 'ワタナベ', 'watanabe'], ['山本', 'ヤマモト', 'yamamoto'], ['中村', 'ナカムラ', 'nakamura'],
  ['小林', 'コバヤシ', 'kobayashi'], ['加藤', 'カトウ', 'kato'], ['吉田', 'ヨシダ', 'yoshida'], ['山田', 'ヤマダ', 'yamada'],
  ['佐々木', 'ササキ', 'sasaki'], ['山口', 'ヤマグチ', 'yamaguchi'], ['松本', 'マツモト', 'matsumoto'], ['井上', 'イノウエ', 'inoue'],
  ['木村', 'キムラ', 'kimura'], ['林', 'ハヤシ', 'hayashi'], ['斎藤', 'サイトウ', 'saito'], ['清水', 'シミズ', 'shimizu'],
  ['山崎', 'ヤマザキ', 'yamazaki'], ['森', 'モリ', 'mori'], ['池田', 'イケダ', 'ikeda'], ['橋本', 'ハシモト', 'hashimoto'],
  ['阿部', 'アベ', 'abe'], ['石川', 'イシカワ', 'ishikawa'], ['山下', 'ヤマシタ', 'yamashita'], ['中島', 'ナカジマ', 'nakajima'],
  ['石井', 'イシイ', 'ishii'], ['小川', 'オガワ', 'ogawa'], ['前田', 'マエダ', 'maeda'], ['岡田', 'オカダ', 'okada'],
  ['長谷川', 'ハセガワ', 'hasegawa'], ['藤田', 'フジタ', 'fujita'], ['後藤', 'ゴトウ', 'goto'], ['近藤', 'コンドウ', 'kondo'],
  ['村上', 'ムラカミ', 'murakami'], ['遠藤', 'エンドウ', 'endo'], ['青木', 'アオキ', 'aoki'], ['坂本', 'サカモト', 'sakamoto'],
  ['福田', 'フクダ', 'fukuda'], ['太田', 'オオタ', 'ota'], ['西村', 'ニシムラ', 'nishimura'], ['藤井', 'フジイ', 'fujii'],
  ['金子', 'カネコ', 'kaneko'], ['岡本', 'オカモト', 'okamoto'], ['藤原', 'フジワラ', 'fujiwara'], ['中野', 'ナカノ', 'nakano'],
  ['三浦', 'ミウラ', 'miura'], ['原田', 'ハラダ', 'harada'], ['中川', 'ナカガワ', 'nakagawa'], ['松田', 'マツダ', 'matsuda'],
  ['竹内', 'タケウチ', 'takeuchi'], ['小野', 'オノ', 'ono'], ['田村', 'タムラ', 'tamura'], ['中山', 'ナカヤマ', 'nakayama'],
  ['和田', 'ワダ', 'wada'], ['石田', 'イシダ', 'ishida'], ['森田', 'モリタ', 'morita'], ['上田', 'ウエダ', 'ueda'],
  ['内田', 'ウチダ', 'uchida'], ['柴田', 'シバタ', 'shibata'], ['酒井', 'サカイ', 'sakai'], ['宮崎', 'ミヤザキ', 'miyazaki'],
  ['横山', 'ヨコヤマ', 'yokoyama'], ['高木', 'タカギ', 'takagi'], ['安藤', 'アンドウ', 'ando'], ['宮本', 'ミヤモト', 'miyamoto'],
  ['大野', 'オオノ', 'ono'], ['小島', 'コジマ', 'kojima'], ['谷口', 'タニグチ', 'taniguchi'], ['今井', 'イマイ', 'imai'],
  ['工藤', 'クドウ', 'kudo'], ['高田', 'タカダ', 'takada'], ['増田', 'マスダ', 'masuda'], ['丸山', 'マルヤマ', 'maruyama'],
  ['杉山', 'スギヤマ', 'sugiyama'], ['村田', 'ムラタ', 'murata'], ['大塚', 'オオツカ', 'otsuka'], ['新井', 'アライ', 'arai'],
  ['平野', 'ヒラノ', 'hirano'], ['河野', 'コウノ', 'kono'], ['野口', 'ノグチ', 'noguchi'], ['武田', 'タケダ', 'takeda'],
  ['千葉', 'チバ', 'chiba'], ['菅原', 'スガワラ', 'sugawara'], ['木下', 'キノシタ', 'kinoshita'], ['久保', 'クボ', 'kubo'],
  ['野村', 'ノムラ', 'nomura'], ['市川', 'イチカワ', 'ichikawa'], ['菊地', 'キクチ', 'kikuchi'], ['桜井', 'サクライ', 'sakurai'],
]).sort(byKana);

/** Given names common among children born 2005–2020. */
export const BOYS_NAMES: readonly PersonName[] = toNames([
  ['蓮', 'レン', 'ren'], ['湊', 'ミナト', 'minato'], ['陽翔', 'ハルト', 'haruto'], ['樹', 'イツキ', 'itsuki'],
  ['悠真', 'ユウマ', 'yuma'], ['大翔', 'ヒロト', 'hiroto'], ['朝陽', 'アサヒ', 'asahi'], ['蒼', 'アオイ', 'aoi'],
  ['律', 'リツ', 'ritsu'], ['颯真', 'ソウマ', 'soma'], ['陽太', 'ヨウタ', 'yota'], ['大和', 'ヤマト', 'yamato'],
  ['悠人', 'ユウト', 'yuto'], ['翔太', 'ショウタ', 'shota'], ['拓海', 'タクミ', 'takumi'], ['大輝', 'ダイキ', 'daiki'],
  ['颯太', 'ソウタ', 'sota'], ['蒼空', 'ソラ', 'sora'], ['陸', 'リク', 'riku'], ['海斗', 'カイト', 'kaito'],
  ['晴', 'ハル', 'haru'], ['陽向', 'ヒナタ', 'hinata'], ['結翔', 'ユイト', 'yuito'], ['琉生', 'ルイ', 'rui'],
  ['奏太', 'カナタ', 'kanata'], ['一輝', 'カズキ', 'kazuki'], ['航', 'ワタル', 'wataru'], ['翼', 'ツバサ', 'tsubasa'],
  ['湊斗', 'ミナト', 'minato'], ['悠斗', 'ユウト', 'yuto'], ['智也', 'トモヤ', 'tomoya'], ['瑛太', 'エイタ', 'eita'],
]).sort(byKana);

export const GIRLS_NAMES: readonly PersonName[] = toNames([
  ['陽葵', 'ヒマリ', 'himari'], ['凛', 'リン', 'rin'], ['詩', 'ウタ', 'uta'], ['結菜', 'ユイナ', 'yuina'],
  ['杏', 'アン', 'an'], ['紬', 'ツムギ', 'tsumugi'], ['葵', 'アオイ', 'aoi'], ['結愛', 'ユア', 'yua'],
  ['芽依', 'メイ', 'mei'], ['莉子', 'リコ', 'riko'], ['美桜', 'ミオ', 'mio'], ['咲良', 'サクラ', 'sakura'],
  ['心春', 'コハル', 'koharu'], ['花', 'ハナ', 'hana'], ['結衣', 'ユイ', 'yui'], ['彩花', 'アヤカ', 'ayaka'],
  ['美咲', 'ミサキ', 'misaki'], ['七海', 'ナナミ', 'nanami'], ['優奈', 'ユウナ', 'yuna'], ['千尋', 'チヒロ', 'chihiro'],
  ['真央', 'マオ', 'mao'], ['遥', 'ハルカ', 'haruka'], ['美月', 'ミツキ', 'mitsuki'], ['楓', 'カエデ', 'kaede'],
  ['日向', 'ヒナタ', 'hinata'], ['澪', 'ミオ', 'mio'], ['琴音', 'コトネ', 'kotone'], ['さくら', 'サクラ', 'sakura'],
  ['彩', 'アヤ', 'aya'], ['心愛', 'ココア', 'kokoa'], ['依茉', 'エマ', 'ema'], ['柚葉', 'ユズハ', 'yuzuha'],
]).sort(byKana);

/** Given names common among adults (teachers born 1965–2000). */
export const MEN_NAMES: readonly PersonName[] = toNames([
  ['誠', 'マコト', 'makoto'], ['浩二', 'コウジ', 'koji'], ['健一', 'ケンイチ', 'kenichi'], ['隆', 'タカシ', 'takashi'],
  ['雄一', 'ユウイチ', 'yuichi'], ['博之', 'ヒロユキ', 'hiroyuki'], ['直樹', 'ナオキ', 'naoki'], ['和也', 'カズヤ', 'kazuya'],
  ['健太', 'ケンタ', 'kenta'], ['亮', 'リョウ', 'ryo'], ['涼介', 'リョウスケ', 'ryosuke'], ['大輔', 'ダイスケ', 'daisuke'],
  ['拓也', 'タクヤ', 'takuya'], ['達也', 'タツヤ', 'tatsuya'], ['修', 'オサム', 'osamu'], ['剛', 'ツヨシ', 'tsuyoshi'],
]).sort(byKana);

export const WOMEN_NAMES: readonly PersonName[] = toNames([
  ['由美', 'ユミ', 'yumi'], ['直美', 'ナオミ', 'naomi'], ['恵子', 'ケイコ', 'keiko'], ['智子', 'トモコ', 'tomoko'],
  ['裕子', 'ユウコ', 'yuko'], ['久美子', 'クミコ', 'kumiko'], ['真由美', 'マユミ', 'mayumi'], ['明美', 'アケミ', 'akemi'],
  ['愛', 'アイ', 'ai'], ['美穂', 'ミホ', 'miho'], ['麻衣', 'マイ', 'mai'], ['彩', 'アヤ', 'aya'],
  ['香織', 'カオリ', 'kaori'], ['瞳', 'ヒトミ', 'hitomi'], ['沙織', 'サオリ', 'saori'], ['奈々', 'ナナ', 'nana'],
]).sort(byKana);

/** Place names for schools (地名, chimei). */
export const PLACE_NAMES: readonly string[] = [
  '中央', '東', '西', '南', '北', '桜ヶ丘', '緑が丘', '青葉', '旭', '若葉', '富士見', '本町', '栄', '松原', '竹の台',
  '梅園', '城山', '高台', '泉', '港', '大谷', '小川', '川口', '日の出', '朝日', '春日', '宮前', '新田', '石原', '柳町',
  '大沢', '上野原', '下郷', '山田', '森下', '野中', '浜田', '岡崎', '平井', '明和', '白山', '八幡', '稲荷', '千代田', '住吉',
  '向陽', '光が丘', '美原', 'みどり野', '杉並', '鶴見', '亀山', '天神', '清水', '大原', '小松', '寺町', '今泉', '花園', '豊田',
];

const KANJI_DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** Kanji numeral for 1–99 (第二, 第十五 ...), digits beyond that. */
export function kanjiNumber(n: number): string {
  if (n < 1 || n > 99) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 0 ? '' : tens === 1 ? '十' : `${KANJI_DIGITS[tens]}十`}${KANJI_DIGITS[ones]}`;
}

/** The place name part of the n-th school of a kind: 桜ヶ丘, then 桜ヶ丘第二 ... when names run out. */
export function schoolPlaceName(n: number): string {
  const place = PLACE_NAMES[n % PLACE_NAMES.length];
  const round = Math.floor(n / PLACE_NAMES.length);
  return round === 0 ? place : `${place}第${kanjiNumber(round + 1)}`;
}

/** Names of 特別支援学級 (tokubetsu shien gakkyū, special-needs classes): schools give them names, not numbers. */
export const SPECIAL_NEEDS_CLASS_NAMES: readonly string[] = ['ひまわり', 'たんぽぽ', 'すみれ', 'わかば', 'あおぞら', 'つくし', 'にじ', 'ほし'];

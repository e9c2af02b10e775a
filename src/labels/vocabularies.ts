/**
 * The words of the label catalogue (labels.ts): one vocabulary per kind of code, each in the order people
 * expect (小1 before 小2, 男 before 女), in Japanese and English.
 */
export interface Label {
  ja: string;
  en: string;
}

export type Vocabulary = Record<string, Label>;

const GRADE: Vocabulary = {
  K1: { ja: '年少', en: 'Kindergarten 1' },
  K2: { ja: '年中', en: 'Kindergarten 2' },
  K3: { ja: '年長', en: 'Kindergarten 3' },
  P1: { ja: '小1', en: 'Elementary 1' },
  P2: { ja: '小2', en: 'Elementary 2' },
  P3: { ja: '小3', en: 'Elementary 3' },
  P4: { ja: '小4', en: 'Elementary 4' },
  P5: { ja: '小5', en: 'Elementary 5' },
  P6: { ja: '小6', en: 'Elementary 6' },
  J1: { ja: '中1', en: 'Junior high 1' },
  J2: { ja: '中2', en: 'Junior high 2' },
  J3: { ja: '中3', en: 'Junior high 3' },
  H1: { ja: '高1', en: 'High school 1' },
  H2: { ja: '高2', en: 'High school 2' },
  H3: { ja: '高3', en: 'High school 3' },
  E1: { ja: '専1', en: 'Advanced course 1' },
  E2: { ja: '専2', en: 'Advanced course 2' },
  E3: { ja: '専3', en: 'Advanced course 3' },
};

export const VOCABULARIES = {
  grade: GRADE,
  sex: {
    male: { ja: '男', en: 'Male' },
    female: { ja: '女', en: 'Female' },
    other: { ja: 'その他', en: 'Other' },
    unspecified: { ja: '不明', en: 'Not recorded' },
  },
  /** 長期欠席の理由 (MEXT). */
  reason: {
    illness: { ja: '病気', en: 'Illness' },
    economic: { ja: '経済的理由', en: 'Economic reasons' },
    non_attendance: { ja: '不登校', en: 'Non-attendance (futoko)' },
    covid_avoidance: { ja: '新型コロナウイルスの感染回避', en: 'Avoiding COVID-19 infection' },
    other: { ja: 'その他', en: 'Other' },
  },
  attendanceStatus: {
    present: { ja: '出席', en: 'Present' },
    late: { ja: '遅刻', en: 'Late' },
    early_leave: { ja: '早退', en: 'Left early' },
    counted_present: { ja: '出席扱い', en: 'Counted present' },
    absent: { ja: '欠席', en: 'Absent' },
    suspension: { ja: '出席停止', en: 'Suspension' },
    mourning: { ja: '忌引', en: 'Mourning' },
    closure: { ja: '臨時休業等', en: 'Closure' },
  },
  /** いじめの態様 (MEXT, codes 1–9). */
  bullyingType: {
    '1': { ja: '冷やかしやからかい、悪口や脅し文句、嫌なことを言われる', en: 'Teasing, insults or threats' },
    '2': { ja: '仲間はずれ、集団による無視をされる', en: 'Excluded or ignored by a group' },
    '3': {
      ja: '軽くぶつかられたり、遊ぶふりをして叩かれたり、蹴られたりする',
      en: 'Bumped, hit or kicked lightly, “in play”',
    },
    '4': { ja: 'ひどくぶつかられたり、叩かれたり、蹴られたりする', en: 'Bumped, hit or kicked hard' },
    '5': { ja: '金品をたかられる', en: 'Made to hand over money or goods' },
    '6': {
      ja: '金品を隠されたり、盗まれたり、壊されたり、捨てられたりする',
      en: 'Belongings hidden, stolen, broken or thrown away',
    },
    '7': {
      ja: '嫌なことや恥ずかしいこと、危険なことをされたり、させられたりする',
      en: 'Made to do, or subjected to, unpleasant, shameful or dangerous things',
    },
    '8': { ja: 'パソコンや携帯電話等で、ひぼう・中傷や嫌なことをされる', en: 'Slander or abuse online or by phone' },
    '9': { ja: 'その他', en: 'Other' },
  },
  /** 学級の種類 (学校基本調査). */
  classKind: {
    ordinary: { ja: '通常の学級', en: 'Ordinary class' },
    special_needs: { ja: '特別支援学級', en: 'Special-needs class' },
    multi_grade: { ja: '複式学級', en: 'Multi-grade class' },
  },
  /** 不登校の状況. */
  futokoBand: {
    absent_90_plus: { ja: '欠席日数90日以上', en: 'Absent 90 days or more' },
    attended_10_or_less: { ja: '出席日数10日以下', en: 'Attended 10 days or fewer' },
    attended_0: { ja: '出席日数0日', en: 'Attended no day' },
    absent_90_attended_11_plus: {
      ja: '欠席日数90日以上のうち出席日数11日以上',
      en: 'Absent 90+ days, attended 11 days or more',
    },
    absent_90_attended_1_10: { ja: '欠席日数90日以上のうち出席日数1〜10日', en: 'Absent 90+ days, attended 1–10 days' },
    absent_90_attended_0: { ja: '欠席日数90日以上のうち出席日数0日', en: 'Absent 90+ days, attended no day' },
  },
  /** 学級編制方式 (学校基本調査). */
  classForm: {
    single_grade: { ja: '単式学級', en: 'Single-grade class' },
    multi_grade: { ja: '複式学級', en: 'Multi-grade class' },
    special_needs: { ja: '特別支援学級', en: 'Special-needs class' },
  },
  /** 複式学級の個学年数. */
  classSpan: {
    '1': { ja: '1個学年', en: 'One grade' },
    '2': { ja: '2個学年', en: 'Two grades' },
    '3': { ja: '3個学年', en: 'Three grades' },
    '4': { ja: '4個学年', en: 'Four grades' },
    '5': { ja: '5個学年', en: 'Five grades' },
    '6': { ja: '6個学年', en: 'Six grades' },
  },
  /** 特別支援学級の障害種別 (学校基本調査). */
  disability: {
    intellectual: { ja: '知的障害', en: 'Intellectual disability' },
    physical: { ja: '肢体不自由', en: 'Physical disability' },
    health: { ja: '病弱・身体虚弱', en: 'Health impairment' },
    low_vision: { ja: '弱視', en: 'Low vision' },
    hearing: { ja: '難聴', en: 'Hearing impairment' },
    speech: { ja: '言語障害', en: 'Speech and language disorder' },
    autism_emotional: { ja: '自閉症・情緒障害', en: 'Autism or emotional disturbance' },
    unspecified: { ja: '障害種別の記載なし', en: 'Type of disability not given' },
  },
  /** いじめの発見のきっかけ (MEXT). */
  foundBy: {
    homeroom_teacher: { ja: '学級担任が発見', en: 'Found by the homeroom teacher' },
    other_staff: { ja: '学級担任以外の教職員が発見', en: 'Found by other school staff' },
    school_nurse: { ja: '養護教諭が発見', en: 'Found by the school nurse' },
    counsellor: { ja: 'スクールカウンセラー等の相談員が発見', en: 'Found by a school counsellor' },
    survey: { ja: 'アンケート調査など学校の取組により発見', en: 'Found by the school’s questionnaires' },
    self_report: { ja: '本人からの訴え', en: 'Told by the student' },
    parent: { ja: '本人の保護者からの訴え', en: 'Told by the student’s parent' },
    peer: { ja: '児童生徒(本人を除く)からの情報', en: 'Told by another student' },
    other_parent: { ja: '保護者(本人の保護者を除く)からの情報', en: 'Told by another parent' },
    community: { ja: '地域の住民からの情報', en: 'Told by a local resident' },
    agency: { ja: '学校以外の関係機関からの情報', en: 'Told by an agency outside the school' },
    other: { ja: 'その他(匿名による投書など)', en: 'Other (anonymous letters …)' },
    unrecorded: { ja: '記録なし', en: 'Not recorded' },
  },
  /** いじめの解消状況 (MEXT). */
  resolution: {
    resolved: { ja: '解消しているもの', en: 'Resolved' },
    in_progress: { ja: '解消に向けて取組中', en: 'Being worked on' },
    other: { ja: 'その他', en: 'Other' },
    unrecorded: { ja: '記録なし', en: 'Not recorded' },
  },
  /** 暴力行為の形態 (MEXT). */
  violenceForm: {
    teacher: { ja: '対教師暴力', en: 'Against a teacher' },
    student: { ja: '生徒間暴力', en: 'Between students' },
    person: { ja: '対人暴力', en: 'Against another person' },
    property: { ja: '器物損壊', en: 'Damage to property' },
    unrecorded: { ja: '記録なし', en: 'Not recorded' },
  },
  /** 暴力行為の発生場所. */
  violencePlace: {
    in_school: { ja: '学校の管理下', en: 'Under the school’s control' },
    outside_school: { ja: '学校の管理下以外', en: 'Outside the school’s control' },
    unrecorded: { ja: '記録なし', en: 'Not recorded' },
  },
  /** 名簿(OneRoster)の教職員の役割. */
  staffRole: {
    teacher: { ja: '教員(名簿の teacher)', en: 'Teacher (roster role)' },
    administrator: { ja: '管理職・事務(名簿の administrator)', en: 'Administrator (roster role)' },
    aide: { ja: '補助員(名簿の aide)', en: 'Aide (roster role)' },
  },
  /** 教員の職名 (学校基本調査). */
  teacherTitle: {
    principal: { ja: '校長', en: 'Principal' },
    vice_principal: { ja: '副校長', en: 'Vice-principal' },
    deputy_head: { ja: '教頭', en: 'Deputy head' },
    senior_teacher: { ja: '主幹教諭', en: 'Senior teacher' },
    advanced_teacher: { ja: '指導教諭', en: 'Advanced-skill teacher' },
    teacher: { ja: '教諭', en: 'Teacher' },
    assistant_teacher: { ja: '助教諭', en: 'Assistant teacher' },
    nurse_teacher: { ja: '養護教諭', en: 'Nurse teacher' },
    assistant_nurse_teacher: { ja: '養護助教諭', en: 'Assistant nurse teacher' },
    nutrition_teacher: { ja: '栄養教諭', en: 'Nutrition teacher' },
    lecturer: { ja: '講師', en: 'Lecturer' },
  },
  /** 職員の職名 (学校基本調査). */
  staffTitle: {
    office: { ja: '事務職員', en: 'Office staff' },
    library: { ja: '学校図書館事務員', en: 'School library staff' },
    nurse: { ja: '養護職員', en: 'Nursing staff' },
    nutrition: { ja: '学校栄養職員', en: 'School nutrition staff' },
    custodian: { ja: '用務員', en: 'Custodian' },
    other: { ja: 'その他', en: 'Other' },
  },
  /** 指導要録上出席扱いとした場所 (MEXT). */
  countedPresentPlace: {
    external_facility: { ja: '学校外の機関等で相談・指導を受けた', en: 'Guidance at a facility outside the school' },
    ict_home: { ja: '自宅におけるICT等を活用した学習活動', en: 'Learning at home with ICT' },
    other: { ja: 'その他の場所', en: 'Elsewhere' },
    unspecified: { ja: '場所の記載なし', en: 'Place not given' },
  },
  /** 不登校児童生徒について把握した事実 (MEXT, several per student). */
  futokoFact: {
    bullying: { ja: 'いじめの被害の情報や相談があった', en: 'Reports of being bullied' },
    friends: {
      ja: 'いじめを除く友人関係をめぐる問題の情報や相談があった',
      en: 'Problems with friends other than bullying',
    },
    teachers: { ja: '教職員との関係をめぐる問題の情報や相談があった', en: 'Problems with teachers' },
    study: { ja: '学業の不振や頻繁な宿題の未提出が見られた', en: 'Poor results or homework often not handed in' },
    rules: { ja: '学校のきまり・校則などに関する問題の情報や相談があった', en: 'Problems with school rules' },
    transition: {
      ja: '入学、転編入学、進級時の不適応による問題の情報や相談があった',
      en: 'Not adapting after entry, transfer or moving up',
    },
    family: {
      ja: '家庭生活に関する問題や親子の関わり方に関する問題の情報や相談があった',
      en: 'Problems at home or between parent and child',
    },
    rhythm: { ja: '生活リズムの不調に関する相談があった', en: 'A disturbed daily rhythm' },
    motivation: { ja: '学校生活に対してやる気が出ない等の相談があった', en: 'No motivation for school life' },
    anxiety: { ja: '不安・抑うつの相談があった', en: 'Anxiety or depression' },
    physical: { ja: '身体の不調の相談があった', en: 'Physical complaints' },
    disability: {
      ja: '個別の配慮(障害等)を求める相談があった',
      en: 'Requests for individual adjustments (disability …)',
    },
    delinquency: { ja: '非行・反社会的な行動が見られた', en: 'Delinquent or antisocial behaviour' },
  },
  responseStatus: {
    not_opened: { ja: '未開封', en: 'Not opened' },
    in_progress: { ja: '回答中', en: 'In progress' },
    submitted: { ja: '提出済み', en: 'Submitted' },
    returned: { ja: '差し戻し', en: 'Returned' },
    overdue: { ja: '期限超過', en: 'Overdue' },
  },
  surveyStatus: {
    draft: { ja: '下書き(未発行)', en: 'Draft' },
    issued: { ja: '発行済み', en: 'Issued' },
    closed: { ja: '締切', en: 'Closed' },
  },
  answerSource: {
    prefilled: { ja: 'データから', en: 'From data' },
    changed: { ja: '変更済み', en: 'Changed' },
    manual: { ja: '手入力', en: 'Typed' },
  },
  schoolType: {
    elementary: { ja: '小学校', en: 'Elementary school' },
    junior_high: { ja: '中学校', en: 'Junior high school' },
    compulsory: { ja: '義務教育学校', en: 'Compulsory education school' },
    special_needs: { ja: '特別支援学校', en: 'Special-needs school' },
  },
  specialNeeds: {
    special_needs: { ja: '特別支援学級', en: 'Special-needs class' },
    ordinary: { ja: '通常の学級', en: 'Ordinary class' },
  },
  boolean: {
    true: { ja: 'はい', en: 'Yes' },
    false: { ja: 'いいえ', en: 'No' },
  },
  role: {
    board_admin: { ja: '教育委員会(管理者)', en: 'Board administrator' },
    analyst: { ja: '政策分析担当', en: 'Policy analyst' },
    school: { ja: '学校', en: 'School' },
    teacher: { ja: '教員', en: 'Teacher' },
    cli: { ja: 'コマンドライン', en: 'Command line' },
  },
  /** 教科 of the assessments (学力調査). */
  subject: {
    japanese: { ja: '国語', en: 'Japanese' },
    math: { ja: '算数・数学', en: 'Mathematics' },
    english: { ja: '英語', en: 'English' },
    science: { ja: '理科', en: 'Science' },
    social_studies: { ja: '社会', en: 'Social studies' },
  },
  /** The outcomes a cohort query and a policy evaluation measure. */
  outcome: {
    attendance_rate: { ja: '出席率', en: 'attendance rate' },
    absence_days: { ja: '欠席日数', en: 'absence days' },
    long_term_absence: { ja: '長期欠席の割合', en: 'share of long-term absence' },
    assessment_score: { ja: '学力調査の得点', en: 'assessment score' },
    app_minutes: { ja: '学習アプリ利用時間', en: 'learning-app minutes' },
  },
  /** Where a school falls against a funnel plot's control limits (95 %, 99.8 %). */
  funnelFlag: {
    high_998: { ja: '99.8%限界より上', en: 'Above the 99.8% limit' },
    high_95: { ja: '95%限界より上', en: 'Above the 95% limit' },
    within: { ja: '限界の内側', en: 'Within the limits' },
    low_95: { ja: '95%限界より下', en: 'Below the 95% limit' },
    low_998: { ja: '99.8%限界より下', en: 'Below the 99.8% limit' },
  },
  /** Why a reminder mail went to a school (src/reminders). */
  reminderKind: {
    manual: { ja: '教育委員会が送信', en: 'Sent by the board' },
    before_deadline: { ja: '期限前の自動送信', en: 'Automatic, before the deadline' },
    overdue: { ja: '期限超過の自動送信', en: 'Automatic, past the deadline' },
  },
  /** An ingest batch's outcome. */
  batchStatus: {
    running: { ja: '取込中', en: 'Running' },
    loaded: { ja: '取込済み', en: 'Loaded' },
    partial: { ja: '一部取込', en: 'Partly loaded' },
    rejected: { ja: '取込中止(エラー)', en: 'Rejected' },
    noop: { ja: '新しいデータなし', en: 'Nothing new' },
    failed: { ja: '失敗', en: 'Failed' },
    interrupted: { ja: '中断', en: 'Interrupted' },
  },
  /** The kinds of file the ingest reads. */
  feedKind: {
    oneroster: { ja: '名簿(OneRoster)', en: 'Rosters (OneRoster)' },
    programmes: { ja: '事業・施策', en: 'Programmes' },
    calendar: { ja: '学校暦', en: 'School calendar' },
    attendance: { ja: '出欠', en: 'Attendance' },
    assessments: { ja: '学力調査', en: 'Assessments' },
    guidance: { ja: '生徒指導', en: 'Guidance records' },
    xapi: { ja: '学習記録(xAPI)', en: 'Learning records (xAPI)' },
  },
  severity: {
    error: { ja: 'エラー', en: 'Error' },
    warning: { ja: '警告', en: 'Warning' },
  },
  /** How a web session was made. */
  signInMethod: {
    token: { ja: 'API トークン', en: 'API token' },
    password: { ja: 'パスワード', en: 'Password' },
    oidc: { ja: '組織のアカウント', en: 'Organisation account' },
  },
  /** 見守りケース (early warning): a support case's status, who is responsible, agencies referred to. */
  caseStatus: {
    new: { ja: '新規', en: 'New' },
    assessing: { ja: 'アセスメント中', en: 'Assessing' },
    supporting: { ja: '支援中', en: 'Supporting' },
    monitoring: { ja: '経過観察', en: 'Monitoring' },
    closed: { ja: '終結', en: 'Closed' },
  },
  caseResponsible: {
    homeroom_teacher: { ja: '担任', en: 'Homeroom teacher' },
    school_nurse: { ja: '養護教諭', en: 'School nurse' },
    school_counselor: { ja: 'スクールカウンセラー(SC)', en: 'School counselor (SC)' },
    school_social_worker: { ja: 'スクールソーシャルワーカー(SSW)', en: 'School social worker (SSW)' },
    management: { ja: '管理職', en: 'School management' },
  },
  caseAgency: {
    support_centre: { ja: '教育支援センター', en: 'Education support centre' },
    school_counselor: { ja: 'スクールカウンセラー(SC)', en: 'School counselor (SC)' },
    school_social_worker: { ja: 'スクールソーシャルワーカー(SSW)', en: 'School social worker (SSW)' },
    child_guidance_centre: { ja: '児童相談所', en: 'Child guidance centre' },
    welfare: { ja: '福祉部局', en: 'Welfare department' },
    medical: { ja: '医療機関', en: 'Medical institution' },
    other: { ja: 'その他', en: 'Other' },
  },
  /** An absence day's recorded reason on the watch list (`none`: no reason given). */
  absenceReason: {
    illness: { ja: '病気', en: 'Illness' },
    economic: { ja: '経済的理由', en: 'Economic reasons' },
    non_attendance: { ja: '不登校', en: 'Non-attendance (futoko)' },
    covid_avoidance: { ja: '新型コロナウイルスの感染回避', en: 'Avoiding COVID-19 infection' },
    other: { ja: 'その他', en: 'Other' },
    none: { ja: '理由の記録なし', en: 'No reason recorded' },
  },
  /** Every-school total rows and other words tables print in a code's place. */
  aggregate: {
    all: { ja: '全体', en: 'All' },
    total: { ja: '合計', en: 'Total' },
  },
} satisfies Record<string, Vocabulary>;

export type VocabularyName = keyof typeof VOCABULARIES;

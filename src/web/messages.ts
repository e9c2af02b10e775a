import type { Locale } from '../config/config.js';

const messages = {
  ja: {
    appName: 'しるべ',
    tagline: '教育委員会のための学校データ基盤',
    loginTitle: 'ログイン',
    tokenLabel: 'APIトークン',
    tokenHelp: '管理者から配布されたトークン(shb_ で始まる文字列)を入力してください。',
    loginButton: 'ログイン',
    loginFailed: 'トークンが正しくないか、無効になっています。',
    logout: 'ログアウト',
    signedInAs: 'ログイン中',
    role: '役割',
    school: '学校コード',
    roles: { board_admin: '教育委員会(管理者)', analyst: '政策分析担当', school: '学校', cli: 'コマンドライン' },
    links: 'リンク',
    apiDocs: 'API 文書 (OpenAPI)',
    health: '稼働状況',
    schools: '学校一覧 (API)',
    switchLang: 'English',
  },
  en: {
    appName: 'Shirube',
    tagline: 'School data platform for boards of education',
    loginTitle: 'Sign in',
    tokenLabel: 'API token',
    tokenHelp: 'Enter the token your administrator gave you (it starts with shb_).',
    loginButton: 'Sign in',
    loginFailed: 'The token is wrong or has been revoked.',
    logout: 'Sign out',
    signedInAs: 'Signed in as',
    role: 'Role',
    school: 'School code',
    roles: { board_admin: 'Board administrator', analyst: 'Policy analyst', school: 'School', cli: 'Command line' },
    links: 'Links',
    apiDocs: 'API documentation (OpenAPI)',
    health: 'Service health',
    schools: 'Schools (API)',
    switchLang: '日本語',
  },
} as const;

export type Messages = (typeof messages)[Locale];

export function messagesFor(locale: Locale): Messages {
  return messages[locale];
}

export function pickLocale(query: unknown, fallback: Locale): Locale {
  return query === 'en' || query === 'ja' ? query : fallback;
}

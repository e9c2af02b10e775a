import type { Locale } from '../config/config.js';

/** The words of the sign-in page beyond the token form (messages.ts keeps those). */
const ja = {
  withIdp: (name: string | undefined) => `${name ?? '組織のアカウント'}でログイン`,
  idpHelp: '学校や教育委員会で使っているアカウント(Microsoft 365、Google Workspace など)でログインします。',
  passwordTitle: '利用者名とパスワードでログイン',
  loginName: '利用者名またはメールアドレス',
  password: 'パスワード',
  tokenTitle: 'API トークンでログイン',
  problems: {
    password_failed: '利用者名またはパスワードが正しくありません。',
    idp_unavailable: '組織のアカウントの認証サービスに接続できません。しばらくたってから、もう一度お試しください。',
    idp_invalid: '組織のアカウントでのログインを完了できませんでした。もう一度お試しください。',
    idp_not_linked:
      'このアカウントは しるべ の利用者に登録されていないか、無効になっています。教育委員会の管理者に連絡してください。',
  },
};

const en: typeof ja = {
  withIdp: (name) => `Sign in with ${name ?? 'your organisation’s account'}`,
  idpHelp: 'Sign in with the account you use at your school or board (Microsoft 365, Google Workspace and the like).',
  passwordTitle: 'Sign in with user name and password',
  loginName: 'User name or e-mail address',
  password: 'Password',
  tokenTitle: 'Sign in with an API token',
  problems: {
    password_failed: 'The user name or the password is wrong.',
    idp_unavailable: 'The sign-in service of your organisation does not answer. Please try again later.',
    idp_invalid: 'The sign-in with your organisation’s account could not be completed. Please try again.',
    idp_not_linked: 'This account is not a Shirube user, or it is disabled. Please contact the board’s administrator.',
  },
};

export type SignInMessages = typeof ja;
export type SignInProblem = keyof SignInMessages['problems'] | 'failed' | 'throttled';

export function signInMessagesFor(locale: Locale): SignInMessages {
  return locale === 'en' ? en : ja;
}

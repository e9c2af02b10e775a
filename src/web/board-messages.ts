import type { Locale } from '../config/config.js';

/** Words of the board's pages added for issue 16 (reminders, users); messages.ts keeps the older pages' words. */
const ja = {
  progressTitle: '提出済みの割合',
  remindersTitle: '督促メール',
  remindHelp: (days: number) =>
    `提出していない学校の連絡先(学校の利用者のメールアドレス)に、回答ページへのリンクを付けて送ります。` +
    (days > 0
      ? `提出期限の${days}日前と、期限を過ぎたときにも自動で送ります。`
      : '期限を過ぎたときにも自動で送ります。'),
  remindButton: '未提出の学校に督促メールを送る',
  mailNotConfigured: 'メールの送信設定(SMTP)がないため、督促メールは送れません。管理者に連絡してください。',
  reminded: (sent: number, without: number, failed: number) =>
    `${sent}校に督促メールを送りました。` +
    (without > 0 ? `連絡先のない学校が${without}校あります(利用者の管理で設定できます)。` : '') +
    (failed > 0 ? `${failed}校への送信に失敗しました。` : ''),
  noReminders: 'まだ督促メールは送っていません。',
  sentAt: '送信日時',
  reminderKind: '種類',
  recipients: '宛先の数',
  lastReminder: '最後の督促',

  usersNav: '利用者の管理',
  usersTitle: '利用者の管理',
  createUserTitle: '利用者を追加',
  userName: '利用者名(ログイン名)',
  userNameHelp: '重複しない名前です。パスワードでのログインに使います。',
  displayName: '表示名',
  role: '役割',
  school: '学校',
  schoolHelp: '役割が「学校」のときだけ選びます。',
  noSchool: '(学校に属さない)',
  email: 'メールアドレス',
  emailHelp: '学校の利用者のメールアドレスには、調査の督促メールが届きます。',
  idpAccount: '組織のアカウント',
  idpAccountHelp: (claim: string): string =>
    claim === 'sub'
      ? '組織のアカウントの識別子(sub)を入力すると、そのアカウントでログインできます。'
      : '組織のアカウントのメールアドレスを入力すると、そのアカウントでログインできます。',
  initialPassword: 'パスワード(任意、12文字以上)',
  createButton: '追加',
  state: '状態',
  enabled: '有効',
  disabled: '無効',
  linked: '連携済み',
  notLinked: '未連携',
  passwordSet: 'パスワード設定済み',
  noPassword: 'パスワードなし',
  details: '詳細',
  profileTitle: '登録内容',
  saveProfile: '登録内容を保存',
  passwordTitle: 'パスワード',
  newPassword: '新しいパスワード(12文字以上)',
  setPassword: 'パスワードを設定',
  passwordHelp: 'パスワードを変えると、この利用者のログイン中のセッションはすべて終了します。',
  tokensTitle: 'API トークン',
  tokensHelp: 'API トークンはシステム連携(自動処理)のためのものです。発行したトークンは一度だけ表示されます。',
  tokenLabel: 'トークンの用途',
  issueToken: 'トークンを発行',
  tokenPrefix: '先頭の文字',
  createdAt: '作成日時',
  lastUsedAt: '最終利用',
  revokedAt: '失効日時',
  revoke: '失効させる',
  noTokens: 'トークンはありません。',
  newSecretTitle: '発行したトークン',
  newSecretHelp: 'このトークンは今だけ表示されます。安全な場所に控えてください。',
  sessionsTitle: 'ログイン中のセッション',
  sessionsCount: (n: number) => `ログイン中のセッション: ${n}件`,
  endSessions: 'すべてのセッションを終了する',
  disableTitle: '利用者を無効にする',
  disableHelp: '無効にすると、すべてのトークンが失効し、ログイン中のセッションも終了します。元には戻せません。',
  disableButton: '無効にする',
  done: {
    created: '利用者を追加しました。',
    profile: '登録内容を保存しました。',
    password: 'パスワードを設定しました。',
    token: 'トークンを発行しました。',
    revoke: 'トークンを失効させました。',
    sessions: 'セッションを終了しました。',
    disable: '利用者を無効にしました。',
  },
  fieldNames: {
    name: '利用者名',
    role: '役割',
    schoolCode: '学校',
    email: 'メールアドレス',
    displayName: '表示名',
    idpAccount: '組織のアカウント',
    password: 'パスワード',
    label: 'トークンの用途',
  } as Record<string, string>,
};

const en: typeof ja = {
  progressTitle: 'Submitted',
  remindersTitle: 'Reminder mails',
  remindHelp: (days) =>
    'Mails the contact addresses (the school users’ e-mail addresses) of the schools that have not submitted, with the link to their response page. ' +
    (days > 0
      ? `Also sent on their own ${days} days before the deadline and once it has passed.`
      : 'Also sent on their own once the deadline has passed.'),
  remindButton: 'Remind the schools that have not submitted',
  mailNotConfigured:
    'No mail server (SMTP) is configured, so no reminder can be sent. Please contact the administrator.',
  reminded: (sent, without, failed) =>
    `Reminded ${sent} school(s).` +
    (without > 0 ? ` ${without} school(s) have no contact address (set it on the users page).` : '') +
    (failed > 0 ? ` Sending to ${failed} school(s) failed.` : ''),
  noReminders: 'No reminder has been sent yet.',
  sentAt: 'Sent',
  reminderKind: 'Kind',
  recipients: 'Addresses',
  lastReminder: 'Last reminder',

  usersNav: 'Users',
  usersTitle: 'Users',
  createUserTitle: 'Add a user',
  userName: 'User name (to sign in)',
  userNameHelp: 'Unique; used to sign in with a password.',
  displayName: 'Display name',
  role: 'Role',
  school: 'School',
  schoolHelp: 'Only for the role “School”.',
  noSchool: '(no school)',
  email: 'E-mail address',
  emailHelp: 'A school user’s address receives the survey reminders.',
  idpAccount: 'Organisation account',
  idpAccountHelp: (claim) =>
    claim === 'sub'
      ? 'The subject (sub) of the organisation account that signs in as this user.'
      : 'The e-mail address of the organisation account that signs in as this user.',
  initialPassword: 'Password (optional, 12 characters or more)',
  createButton: 'Add',
  state: 'State',
  enabled: 'Enabled',
  disabled: 'Disabled',
  linked: 'Linked',
  notLinked: 'Not linked',
  passwordSet: 'Password set',
  noPassword: 'No password',
  details: 'Details',
  profileTitle: 'Details',
  saveProfile: 'Save',
  passwordTitle: 'Password',
  newPassword: 'New password (12 characters or more)',
  setPassword: 'Set the password',
  passwordHelp: 'Changing the password ends every session of this user.',
  tokensTitle: 'API tokens',
  tokensHelp: 'API tokens are for automation. A token is shown once, when it is issued.',
  tokenLabel: 'What the token is for',
  issueToken: 'Issue a token',
  tokenPrefix: 'Starts with',
  createdAt: 'Created',
  lastUsedAt: 'Last used',
  revokedAt: 'Revoked',
  revoke: 'Revoke',
  noTokens: 'No token.',
  newSecretTitle: 'The new token',
  newSecretHelp: 'This token is shown only now. Keep it somewhere safe.',
  sessionsTitle: 'Sessions',
  sessionsCount: (n) => `Signed-in sessions: ${n}`,
  endSessions: 'End every session',
  disableTitle: 'Disable the user',
  disableHelp: 'Disabling revokes every token and ends every session. It cannot be undone.',
  disableButton: 'Disable',
  done: {
    created: 'User added.',
    profile: 'Saved.',
    password: 'Password set.',
    token: 'Token issued.',
    revoke: 'Token revoked.',
    sessions: 'Sessions ended.',
    disable: 'User disabled.',
  },
  fieldNames: {
    name: 'User name',
    role: 'Role',
    schoolCode: 'School',
    email: 'E-mail address',
    displayName: 'Display name',
    idpAccount: 'Organisation account',
    password: 'Password',
    label: 'What the token is for',
  } as Record<string, string>,
};

export type BoardMessages = typeof ja;

export function boardMessagesFor(locale: Locale): BoardMessages {
  return locale === 'en' ? en : ja;
}

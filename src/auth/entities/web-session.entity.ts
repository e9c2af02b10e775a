import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type SignInMethod = 'token' | 'password' | 'oidc';

/** A signed-in browser: the cookie holds a random secret, the table only its SHA-256. */
@Entity({ name: 'web_sessions' })
export class WebSession {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** The API token the session was made with (a token sign-in): revoking it ends the session. */
  @Column({ name: 'token_id', type: 'uuid', nullable: true })
  tokenId: string | null;

  /** How the session was made: an API token pasted, a local password, or the identity provider. */
  @Column({ type: 'text', default: 'token' })
  method: SignInMethod;

  @Column({ name: 'session_hash', type: 'text' })
  sessionHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}

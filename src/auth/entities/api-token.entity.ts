import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An API token: only its SHA-256 is kept; the token itself is shown once, when it is issued. */
@Entity({ name: 'api_tokens' })
export class ApiToken {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  /** The first characters of the token, so a user can tell tokens apart without the secret. */
  @Column({ name: 'token_prefix', type: 'text' })
  tokenPrefix: string;

  @Column('text')
  label: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}

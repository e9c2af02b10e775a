import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

import type { Role } from '../roles.js';

export { ROLES, type Role } from '../roles.js';

/** A person or system that uses Shirube: a board official, a policy analyst, or a school (bound to one school code). */
@Entity({ name: 'users' })
export class User {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  role: Role;

  @Column({ name: 'school_code', type: 'text', nullable: true })
  schoolCode: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Where mail for this user goes (a school user's: the school's reminders). */
  @Column({ type: 'text', nullable: true })
  email: string | null;

  /** The person's name as pages show it (the official's, or the school's contact). */
  @Column({ name: 'display_name', type: 'text', nullable: true })
  displayName: string | null;

  /** The identity-provider account linked to this user: the value of the configured claim (e-mail or subject). */
  @Column({ name: 'idp_account', type: 'text', nullable: true })
  idpAccount: string | null;

  /** argon2id hash of the local password; null = no password sign-in for this user. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;
}

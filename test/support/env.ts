/**
 * Tests connect to PostgreSQL as its superuser (each test file creates and drops a database), so here the
 * application may start as a privileged role; test/auth/database-role.test.ts runs it as a role set up
 * as in production, and checks the refusal.
 */
if (process.env.DATABASE_URL && process.env.SHIRUBE_ALLOW_PRIVILEGED_DB_ROLE === undefined)
  process.env.SHIRUBE_ALLOW_PRIVILEGED_DB_ROLE = 'true';
export {};

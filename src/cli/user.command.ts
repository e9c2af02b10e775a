import { type Command, Option } from 'commander';
import { ROLES, type Role } from '../auth/roles.js';
import { DomainError } from '../common/domain-error.js';
import { allPages } from '../common/page.js';
import { CLI_ACTOR, requestContext } from '../common/request-context.js';
import type { CreatedUserView, IssuedTokenView, UserView } from '../auth/dto/user.view.js';
import { fail, printResult } from './output.js';

/** Nest, TypeORM and the users service load only when a user command runs. */
async function usersContext() {
  const [{ withControlPlane }, { UsersService }] = [
    await import('./boot.js'),
    await import('../auth/users.service.js'),
  ];
  return { withControlPlane, UsersService };
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('Users and API tokens');

  user
    .command('create')
    .description('Create a user and print its first API token (shown once)')
    .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
    .requiredOption('--name <name>', 'a unique name (a school, an official)')
    .option('--school <code>', 'MEXT school code (role school only)')
    .option('--json', 'print JSON')
    .action(async (options: { role: Role; name: string; school?: string; json?: boolean }) => {
      const { withControlPlane, UsersService } = await usersContext();
      const input = { name: options.name, role: options.role, schoolCode: options.school };
      const created = await withControlPlane(
        (context) => requestContext.run(CLI_ACTOR, () => context.get(UsersService).createUser(input)),
        (server) => server.json<CreatedUserView>('POST', '/api/users', input),
      ).catch(explain);
      printResult(!!options.json, created, () =>
        [
          `created ${created.user.role} user "${created.user.name}"${created.user.schoolCode ? ` for school ${created.user.schoolCode}` : ''} (${created.user.id})`,
          `API token (shown once, keep it safe): ${created.token.secret}`,
        ].join('\n'),
      );
    });

  user
    .command('list')
    .description('List users')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { withControlPlane, UsersService } = await usersContext();
      const users = await withControlPlane(
        (context) => allPages((page) => context.get(UsersService).listUsers(page)),
        (server) => server.all<UserView>('/api/users'),
      );
      printResult(
        !!options.json,
        users,
        () =>
          users.map((u) => `${u.id}  ${u.role.padEnd(11)} ${u.schoolCode ?? '-'.padEnd(13)}  ${u.name}`).join('\n') ||
          'no users',
      );
    });

  user
    .command('token')
    .description('Issue another API token for a user (shown once)')
    .requiredOption('--name <name>', 'the user')
    .option('--label <label>', 'what the token is for', 'cli')
    .option('--json', 'print JSON')
    .action(async (options: { name: string; label: string; json?: boolean }) => {
      const { withControlPlane, UsersService } = await usersContext();
      const issued = await withControlPlane(
        async (context) => {
          const users = context.get(UsersService);
          const found = (await allPages((page) => users.listUsers(page))).find((u) => u.name === options.name);
          if (!found) fail(`no user named ${options.name}`);
          return requestContext.run(CLI_ACTOR, () => users.issueToken(found.id, options.label));
        },
        async (server) => {
          const found = (await server.all<UserView>('/api/users')).find((u) => u.name === options.name);
          if (!found) fail(`no user named ${options.name}`);
          return server.json<IssuedTokenView>('POST', `/api/users/${found.id}/tokens`, { label: options.label });
        },
      ).catch(explain);
      printResult(!!options.json, issued, () => `API token for ${options.name} (shown once): ${issued.secret}`);
    });

  user
    .command('disable')
    .description('Disable a user: every token of theirs is revoked and every web session of theirs ends')
    .requiredOption('--name <name>', 'the user')
    .option('--json', 'print JSON')
    .action(async (options: { name: string; json?: boolean }) => {
      const { withControlPlane, UsersService } = await usersContext();
      const disabled = await withControlPlane(async (context) => {
        const users = context.get(UsersService);
        const found = (await allPages((page) => users.listUsers(page))).find((u) => u.name === options.name);
        if (!found) fail(`no user named ${options.name}`);
        return requestContext.run(CLI_ACTOR, () => users.disableUser(CLI_ACTOR, found.id));
      }).catch(explain);
      printResult(
        !!options.json,
        disabled,
        () =>
          `disabled ${options.name}: ${disabled.tokensRevoked} token(s) revoked, ${disabled.sessionsEnded} web session(s) ended`,
      );
    });
}

function explain(error: unknown): never {
  if (error instanceof DomainError) {
    const fields = error.details?.fields?.map((f) => `  ${f.field}: ${f.messages.join('; ')}`).join('\n');
    fail(`${error.message}${fields ? `\n${fields}` : ''}`);
  }
  throw error;
}

import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { PageRequest } from '../common/page.js';
import type { CohortDefinition } from './cohort-definition.js';
import { SavedCohort } from './entities/saved-cohort.entity.js';

/** The only place that reads and writes saved cohort definitions. */
@Injectable()
export class CohortsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  latest(name: string, manager: EntityManager = this.dataSource.manager): Promise<SavedCohort | null> {
    return manager.getRepository(SavedCohort).findOne({ where: { name }, order: { version: 'DESC' } });
  }

  version(name: string, version: number): Promise<SavedCohort | null> {
    return this.dataSource.getRepository(SavedCohort).findOneBy({ name, version });
  }

  versions(name: string, page: PageRequest): Promise<[SavedCohort[], number]> {
    return this.dataSource
      .getRepository(SavedCohort)
      .findAndCount({ where: { name }, order: { version: 'ASC' }, take: page.limit, skip: page.offset });
  }

  /** The latest version of every name, a page of names in name order, and how many names there are. */
  async latestOfEach(page: PageRequest): Promise<[SavedCohort[], number]> {
    const repository = this.dataSource.getRepository(SavedCohort);
    const latest = await repository
      .createQueryBuilder('c')
      .distinctOn(['c.name'])
      .orderBy('c.name', 'ASC')
      .addOrderBy('c.version', 'DESC')
      .limit(page.limit)
      .offset(page.offset)
      .getMany();
    const counted = await repository
      .createQueryBuilder('c')
      .select('COUNT(DISTINCT c.name)', 'names')
      .getRawOne<{ names: string | number }>();
    return [latest, Number(counted?.names)];
  }

  async insert(
    manager: EntityManager,
    entry: {
      name: string;
      version: number;
      description: string | null;
      definition: CohortDefinition;
      definitionHash: string;
      createdBy: string;
    },
  ): Promise<SavedCohort> {
    const row = manager.getRepository(SavedCohort).create({ id: randomUUID(), ...entry, createdAt: new Date() });
    await manager.getRepository(SavedCohort).insert(row);
    return row;
  }
}

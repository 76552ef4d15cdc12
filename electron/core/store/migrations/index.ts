// Numbered migrations of the profile database. Append only: a released migration is never edited.
import { m0001 } from './0001_initial';
import { m0002 } from './0002_generation';
import { m0003 } from './0003_no_gen_index';
import { m0004 } from './0004_filter_index';
import { m0005 } from './0005_fts_without_prefix_index';
import { m0006 } from './0006_document_bodies';

export type { Migration } from './types';
import type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006];
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/project-root.js';

/** Static files of the pages (public/), served by the app under ASSETS_PREFIX: the stylesheet the CSP allows instead of inline style. */
export const ASSETS_DIR = join(projectRoot(), 'public');
export const ASSETS_PREFIX = '/assets/';

/** The stylesheet's URL carries a digest of its content, so a browser never keeps an old one after an upgrade. */
export const STYLESHEET_URL = `${ASSETS_PREFIX}shirube.css?v=${createHash('sha256')
  .update(readFileSync(join(ASSETS_DIR, 'shirube.css')))
  .digest('hex')
  .slice(0, 12)}`;

/** The data page's upload progress script (public/upload.js), by the same rule. */
export const UPLOAD_SCRIPT_URL = `${ASSETS_PREFIX}upload.js?v=${createHash('sha256')
  .update(readFileSync(join(ASSETS_DIR, 'upload.js')))
  .digest('hex')
  .slice(0, 12)}`;

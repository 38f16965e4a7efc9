/** The upload checker's environment with small limits, so quota and size rules are quick to reach. Import before the handler. */
import '../../../scripts/fixtures/env';

export const CHECKER_ENV = {
  MAX_UPLOAD_BYTES: '5000',
  QUOTA_BYTES_PER_USER: '1000',
  CSV_MAX_COLUMNS: '50',
  CSV_MAX_FIELD_BYTES: '2000',
} as const;

Object.assign(process.env, CHECKER_ENV);

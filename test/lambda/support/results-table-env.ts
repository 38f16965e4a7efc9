/** The handler environment plus the upload results table; import first. */
import '../../../scripts/fixtures/env';

export const RESULTS_TABLE = 'upload-results-table';
process.env.UPLOAD_RESULTS_TABLE = RESULTS_TABLE;

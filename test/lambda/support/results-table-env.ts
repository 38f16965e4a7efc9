/** The handler environment plus the upload results table; import first. */
import './env';

export const RESULTS_TABLE = 'upload-results-table';
process.env.UPLOAD_RESULTS_TABLE = RESULTS_TABLE;

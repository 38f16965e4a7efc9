/** The `storage` section of `amplify_outputs.json`: the user-files bucket and each identity's own prefix. */
import type { OutputsByName } from '../../contracts/output-names';
import type { AmplifyStorageOutputs } from '../../contracts/amplify-outputs';
import { CLIENT_CONFIG_DEFAULTS } from './client-config-defaults';

export function buildStorage(outputs: OutputsByName): AmplifyStorageOutputs {
  return {
    aws_region: outputs.Region,
    bucket_name: outputs.BucketName,
    buckets: [
      {
        name: CLIENT_CONFIG_DEFAULTS.bucketFriendlyName,
        bucket_name: outputs.BucketName,
        aws_region: outputs.Region,
        paths: { [CLIENT_CONFIG_DEFAULTS.ownPath]: { entityidentity: [...CLIENT_CONFIG_DEFAULTS.ownPathActions] } },
      },
    ],
  };
}

/** The one DynamoDB client of a handler bundle (region from AWS_REGION); each handler imports only its commands. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { lambdaCredentials } from './lambda-credentials';

export const dynamodb = new DynamoDBClient({ credentials: lambdaCredentials });

/** Configuration read from the environment, once per cold start. */
const read = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`Missing environment variable ${name}`);
  return value;
};

export const env = {
  get stage() {
    return read("STAGE", "local");
  },
  get tableName() {
    return read("TABLE_NAME");
  },
  /** Set only locally: DynamoDB Local's URL. */
  get dynamoEndpoint() {
    return process.env.DYNAMODB_ENDPOINT;
  },
  get isLocal() {
    return read("STAGE", "local") === "local";
  },
};

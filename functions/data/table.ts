/**
 * The single table's shape, in one place: the CDK stack, the local launcher and every repository
 * read their key names from here. Generic key names let one table hold every entity type.
 */
export const TABLE = {
  partitionKey: "pk",
  sortKey: "sk",
  /** Every item carries its entity type here. */
  typeAttribute: "type",
  /** Epoch seconds; DynamoDB deletes expired items (DynamoDB Local never does: reads filter on it). */
  ttlAttribute: "expiresAt",
  indexes: [
    { name: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
    { name: "gsi2", partitionKey: "gsi2pk", sortKey: "gsi2sk" },
  ],
} as const;

export type IndexName = (typeof TABLE.indexes)[number]["name"];

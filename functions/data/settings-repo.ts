import { ulid } from "ulid";
import type { CentreSettingValues, SettingName } from "../../shared/schemas/settings.js";
import type { StoredSettings } from "../domain/settings.js";
import { tableName } from "../lib/db.js";
import { get, queryPage } from "./items.js";
import { keys } from "./keys.js";
import { transact } from "./transactions.js";

type SettingValue = CentreSettingValues[SettingName];

/** A centre's settings item and its audit trail, both in the centre's partition. */
export interface SettingsItem {
  centreId: string;
  values: StoredSettings;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export interface SettingsChangeRecord {
  changeId: string;
  centreId: string;
  at: string;
  byUserId: string;
  changes: { setting: SettingName; old: SettingValue; new: SettingValue }[];
}

export const getSettingsItem = (centreId: string) => get<SettingsItem>(keys.centreSettings(centreId));

/**
 * Writes the new values and the audit record in one transaction, conditioned on the version that
 * was read: two managers saving at once cannot both record an "old" value that was already gone.
 * False when another change came first (the caller reads again).
 */
export async function saveSettings(
  centreId: string,
  readVersion: number,
  values: StoredSettings,
  audit: Omit<SettingsChangeRecord, "changeId" | "centreId">,
): Promise<boolean> {
  const changeId = ulid();
  const result = await transact([
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.centreSettings(centreId),
          type: "CentreSettings",
          centreId,
          values,
          version: readVersion + 1,
          updatedAt: audit.at,
          updatedBy: audit.byUserId,
        },
        ConditionExpression: readVersion === 0 ? "attribute_not_exists(pk)" : "version = :v",
        ...(readVersion === 0 ? {} : { ExpressionAttributeValues: { ":v": readVersion } }),
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.settingsChange(centreId, audit.at, changeId),
          type: "SettingsChange",
          changeId,
          centreId,
          ...audit,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
  ]);
  return result.ok;
}

/** The latest changes, newest first. */
export const listSettingsChanges = (centreId: string, limit: number) =>
  queryPage<SettingsChangeRecord>({
    partition: keys.settingsChangesPrefix(centreId).pk,
    skPrefix: keys.settingsChangesPrefix(centreId).skPrefix,
    limit,
    newestFirst: true,
  });

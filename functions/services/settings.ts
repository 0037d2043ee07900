import type { CentreSettingValues, UpdateCentreSettingsBody } from "../../shared/schemas/settings.js";
import { getCentre } from "../data/centres-repo.js";
import * as repo from "../data/settings-repo.js";
import { changesOf, defaultCentreSettings, effectiveSettings } from "../domain/settings.js";
import { conflict, forbidden, notFound } from "../lib/errors.js";
import { logger } from "../lib/logger.js";
import type { Session } from "../lib/session.js";
import { isManagerOf } from "./access.js";

/**
 * The centre's value of every local rule, the default where it set none: what every rule reads at
 * the moment of a new action (one consistent GetItem). Actions already taken keep the value they
 * were taken under (e.g. a booking records its cancel deadline).
 */
export async function settingsOf(centreId: string): Promise<CentreSettingValues> {
  return effectiveSettings((await repo.getSettingsItem(centreId))?.values);
}

const HISTORY = 20;

async function view(centreId: string) {
  const item = await repo.getSettingsItem(centreId);
  const history = await repo.listSettingsChanges(centreId, HISTORY);
  return {
    centreId,
    settings: effectiveSettings(item?.values),
    overridden: Object.keys(item?.values ?? {}),
    defaults: defaultCentreSettings(),
    updatedAt: item?.updatedAt ?? null,
    history: history.items.map((h) => ({
      at: h.at,
      byUserId: h.byUserId,
      changes: h.changes.map((c) => ({ setting: c.setting, old: c.old, new: c.new })),
    })),
  };
}

export async function getCentreSettings(session: Session, centreId: string) {
  if (!isManagerOf(session, centreId)) throw forbidden("只能查看本中心的设置");
  return view(centreId);
}

export async function updateCentreSettings(
  session: Session,
  centreId: string,
  patch: UpdateCentreSettingsBody,
) {
  if (!isManagerOf(session, centreId)) throw forbidden("只能修改本中心的设置");
  if (!(await getCentre(centreId))) throw notFound("中心不存在");
  for (let attempt = 0; attempt < 3; attempt++) {
    const item = await repo.getSettingsItem(centreId);
    const current = effectiveSettings(item?.values);
    const changes = changesOf(current, patch);
    if (changes.length === 0) return view(centreId);
    const values = { ...(item?.values ?? {}) };
    for (const c of changes) (values as Record<string, unknown>)[c.setting] = c.new;
    const at = new Date().toISOString();
    if (
      await repo.saveSettings(centreId, item?.version ?? 0, values, { at, byUserId: session.userId, changes })
    ) {
      logger.info("centre settings changed", { centreId, settings: changes.map((c) => c.setting) });
      return view(centreId);
    }
  }
  throw conflict("SETTINGS_CHANGED", "设置刚被其他管理员修改，请刷新后重试");
}

import type { SubscribePurpose, SubscribeTemplates } from "@shared/schemas/platform";
import Taro from "@tarojs/taro";
import { useCallback, useEffect, useState } from "react";
import { recordSubscriptions } from "../services/notices";
import { getConfig } from "../services/platform";
import { isWeapp } from "./platform";
import { errorMessage } from "./use-async";

/**
 * WeChat subscribe messages (one-time grants: each accepted template allows one push).
 *
 * WeChat shows the grant dialog only when `requestSubscribeMessage` is called synchronously inside
 * a tap handler: not from an effect, not after an `await` or in a callback. So the template ids
 * come from `GET /v1/config` when the page opens (`useSubscribe` prefetches them), and
 * `requestSubscriptions` must be the FIRST statement of the tap handler: it calls WeChat at once
 * and returns a promise of the answer (recorded with the API afterwards).
 */

/** What each purpose means to a resident. */
export const PURPOSE_LABELS: Record<SubscribePurpose, string> = {
  visitReminder: "就诊提醒",
  notice: "健康通知与讲座",
  contractResult: "签约审核结果",
  survey: "满意度调查",
};

/** WeChat accepts at most three template ids in one request. */
const MAX_TEMPLATES_PER_REQUEST = 3;

type Answer = "accept" | "reject" | "ban" | "filter";
const ANSWERS: readonly string[] = ["accept", "reject", "ban", "filter"];

export interface SubscribeOutcome {
  /**
   * unsupported: not in WeChat (H5); unavailable: nothing configured or the config not loaded;
   * answered: WeChat answered and the server recorded it; failed: WeChat or the API failed.
   */
  status: "unsupported" | "unavailable" | "answered" | "failed";
  accepted: SubscribePurpose[];
  declined: SubscribePurpose[];
  /** Pushes the server may now send, per purpose (from the recorded grants). */
  remaining: Partial<Record<SubscribePurpose, number>>;
  /** Chinese text for the resident (failures and unavailability). */
  message?: string;
}

let templates: SubscribeTemplates | null = null;
let pending: Promise<SubscribeTemplates> | null = null;

/** Fetches the deployment's template ids once (GET /v1/config); later calls share the answer. */
export function loadSubscribeTemplates(): Promise<SubscribeTemplates> {
  if (templates) return Promise.resolve(templates);
  if (!pending) {
    pending = getConfig().then(
      (config) => {
        templates = config.subscribeTemplates;
        return templates;
      },
      (error: unknown) => {
        pending = null;
        throw error;
      },
    );
  }
  return pending;
}

/** The template ids fetched so far (null before the config arrived). */
export function cachedSubscribeTemplates(): SubscribeTemplates | null {
  return templates;
}

/** For tests: forget the fetched config. */
export function resetSubscribeTemplates(): void {
  templates = null;
  pending = null;
}

/** The purposes of `wanted` that the deployment configured, with their template ids (at most 3). */
export function configuredPurposes(
  wanted: readonly SubscribePurpose[],
  from: SubscribeTemplates | null = templates,
): { purpose: SubscribePurpose; templateId: string }[] {
  if (!from) return [];
  return wanted
    .flatMap((purpose) => {
      const templateId = from[purpose];
      return templateId ? [{ purpose, templateId }] : [];
    })
    .slice(0, MAX_TEMPLATES_PER_REQUEST);
}

/** WeChat's failure codes of requestSubscribeMessage, in words a resident can act on. */
function failureText(error: unknown): string {
  const code =
    error && typeof error === "object" && "errCode" in error
      ? Number((error as { errCode: unknown }).errCode)
      : 0;
  if (code === 20004) return "您已关闭小程序的订阅消息，可在右上角「···」→「设置」中开启后再试";
  if (code === 10002 || code === 10003) return "网络异常，订阅提醒未成功，请稍后重试";
  if (code === 20001 || code === 20002 || code === 10001 || code === 10004)
    return "提醒模板配置有误，暂时无法订阅，请联系社区卫生服务中心";
  if (code === 20003) return "一次订阅的提醒过多，请稍后重试";
  if (code === 20005) return "小程序暂时无法发送提醒，请稍后再试";
  return code ? `订阅提醒未成功（错误码 ${code}），请稍后重试` : "订阅提醒未成功，请稍后重试";
}

const empty = (status: SubscribeOutcome["status"], message?: string): SubscribeOutcome => ({
  status,
  accepted: [],
  declined: [],
  remaining: {},
  message,
});

/**
 * Asks WeChat for the purposes' templates. Call it as the first statement of a tap handler, before
 * any `await`: the WeChat call happens synchronously, here; the returned promise settles with the
 * answer after the server has recorded it. Never rejects: failures come back as `status: "failed"`
 * with a message the page shows.
 */
export function requestSubscriptions(wanted: readonly SubscribePurpose[]): Promise<SubscribeOutcome> {
  if (!isWeapp()) return Promise.resolve(empty("unsupported", "订阅消息仅在微信小程序中可用"));
  if (!templates) return Promise.resolve(empty("unavailable", "提醒设置尚未加载，请稍后再试"));
  const asked = configuredPurposes(wanted);
  if (asked.length === 0) return Promise.resolve(empty("unavailable", "社区卫生服务中心暂未开通这类提醒"));

  let answer: Promise<unknown>;
  try {
    // Synchronous, first: WeChat refuses the dialog once the tap's turn is over.
    answer = Taro.requestSubscribeMessage({
      tmplIds: asked.map((a) => a.templateId),
      // Alipay's field; Taro's type wants one of the two.
      entityIds: [],
    });
  } catch (error) {
    return Promise.resolve(empty("failed", failureText(error)));
  }
  return answer.then(
    async (raw) => {
      const byId = (raw ?? {}) as Record<string, unknown>;
      const results: Record<string, Answer> = {};
      const outcome = empty("answered");
      for (const { purpose, templateId } of asked) {
        const value = byId[templateId];
        if (typeof value !== "string" || !ANSWERS.includes(value)) continue;
        results[templateId] = value as Answer;
        if (value === "accept") outcome.accepted.push(purpose);
        else outcome.declined.push(purpose);
      }
      if (Object.keys(results).length === 0) return outcome;
      try {
        const recorded = await recordSubscriptions({ results });
        for (const { purpose, templateId } of asked) {
          const grant = recorded.grants.find((g) => g.templateId === templateId);
          if (grant) outcome.remaining[purpose] = grant.remaining;
        }
        return outcome;
      } catch (error) {
        return {
          ...outcome,
          status: "failed" as const,
          message: `提醒授权未能保存（${errorMessage(error)}），将无法收到推送，请稍后重试`,
        };
      }
    },
    (error: unknown) => empty("failed", failureText(error)),
  );
}

/** The resident-facing summary of an outcome (null: nothing to say). */
export function outcomeText(
  outcome: SubscribeOutcome | null,
): { tone: "ok" | "warn" | "error"; text: string } | null {
  if (!outcome) return null;
  if (outcome.status === "unsupported") return null;
  if (outcome.status === "unavailable")
    return outcome.message ? { tone: "warn", text: outcome.message } : null;
  const label = (p: SubscribePurpose) => {
    const n = outcome.remaining[p];
    return n && n > 1 ? `${PURPOSE_LABELS[p]}（${n} 次）` : PURPOSE_LABELS[p];
  };
  if (outcome.status === "failed")
    return { tone: "error", text: outcome.message ?? "订阅提醒未成功，请稍后重试" };
  if (outcome.accepted.length > 0) {
    const declined = outcome.declined.length
      ? `；未订阅：${outcome.declined.map((p) => PURPOSE_LABELS[p]).join("、")}`
      : "";
    return { tone: "ok", text: `您将通过微信收到：${outcome.accepted.map(label).join("、")}${declined}` };
  }
  if (outcome.declined.length > 0)
    return { tone: "warn", text: "您未订阅微信提醒，可在「消息」中查看通知，或稍后点「订阅提醒」" };
  return null;
}

/**
 * A page's subscribe state: prefetches the template ids on mount (a network call in an effect is
 * fine; the WeChat request is not) and keeps the last outcome to show. `request` is synchronous up
 * to the WeChat call, so it may open a tap handler.
 */
export function useSubscribe() {
  const [ready, setReady] = useState(() => cachedSubscribeTemplates() !== null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<SubscribeOutcome | null>(null);

  useEffect(() => {
    if (!isWeapp() || cachedSubscribeTemplates()) return;
    let live = true;
    loadSubscribeTemplates().then(
      () => live && setReady(true),
      (error: unknown) => live && setLoadError(`提醒设置加载失败：${errorMessage(error)}`),
    );
    return () => {
      live = false;
    };
  }, []);

  const request = useCallback((wanted: readonly SubscribePurpose[]): Promise<SubscribeOutcome> => {
    const result = requestSubscriptions(wanted);
    void result.then(setOutcome);
    return result;
  }, []);

  return { ready, loadError, outcome, request };
}

import { WORKLIST_KIND_NAMES, WORKLIST_KINDS } from "@shared/schemas/care";
import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { BookOnBehalf } from "../../components/BookOnBehalf";
import { HomeVisitActions } from "../../components/HomeVisitActions";
import { OptionChips } from "../../components/OptionChips";
import { NoTeamState, PageShell } from "../../components/PageShell";
import { RecordServiceForm } from "../../components/RecordServiceForm";
import { Button } from "../../components/ui";
import { todayInChina } from "../../lib/appointments";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { isStaff } from "../../lib/contracts";
import { GROUP_LABELS, labelOf } from "../../lib/labels";
import { callPhone } from "../../lib/phone";
import { useAsync } from "../../lib/use-async";
import { revealContact, teamWorklist, type WorkItem, type WorklistKind } from "../../services/care";
import { approveContract, getContract } from "../../services/contracts";
import { getMe } from "../../services/me";
import { PAGES } from "../../services/routes";
import type { Contract, EntitlementType, ServiceType } from "../../services/types";

type Filter = WorklistKind | "all";

/** The slot type 代预约 starts with, per kind (staff may pick another). */
const BOOKS: Partial<Record<WorklistKind, ServiceType>> = {
  followup_behind: "chronic_followup",
  assessment_due: "annual_assessment",
  home_visit_due: "home_visit",
  renewal_at_risk: "consultation",
  not_reached: "consultation",
};
/** The service 记录服务 starts with, per kind (where the item names one). */
const RECORDS: Partial<Record<WorklistKind, EntitlementType>> = {
  followup_behind: "chronic_followup",
  assessment_due: "annual_assessment",
  home_visit_due: "home_visit",
  not_reached: "health_education",
};
/** What each "last done" refers to. */
const LAST_DONE: Partial<Record<WorklistKind, string>> = {
  followup_behind: "上次随访",
  assessment_due: "上次评估",
  home_visit_due: "上次上门",
};

const isKind = (value: string | undefined): value is WorklistKind =>
  (WORKLIST_KINDS as readonly string[]).includes(value ?? "");

type Open = { id: string; form: "book" } | { id: string; form: "record"; contract: Contract | null } | null;

/**
 * The team desk's 待办 (issue 16): counts per kind, each item with its action — approve the
 * application, book a slot of the team for the resident (代预约), record the service owed, schedule
 * or decline a home visit, record the visit's outcome, or call the resident through the audited
 * reveal (the number is shown only to dial, never listed). Opened with `?kind=` from the team
 * desk's counts, it starts on that kind.
 */
export default function WorklistPage() {
  const loggedIn = useRequireLogin();
  const [filter, setFilter] = useState<Filter>(() => {
    const kind = Taro.getCurrentInstance().router?.params?.kind;
    return isKind(kind) ? kind : "all";
  });
  const [calling, setCalling] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const state = useAsync(async () => {
    const me = await getMe();
    const teamId = me.user.teamId;
    if (!teamId || !isStaff(me.user.roles)) return null;
    return { teamId, list: await teamWorklist(teamId, filter === "all" ? {} : { kind: filter }) };
  }, loggedIn);
  const data = state.data;

  const choose = (value: Filter) => {
    setFilter(value);
    setOpen(null);
    state.reload();
  };

  const done = () => {
    setOpen(null);
    state.reload();
  };

  const call = async (item: WorkItem) => {
    setCalling(item.residentId);
    try {
      const { phone } = await revealContact(item.residentId, `待办：${item.kindName}`, item.kind);
      await callPhone(phone);
    } catch {
      // request() showed the server's message.
    } finally {
      setCalling(null);
    }
  };

  const approve = async (id: string, contractId: string) => {
    if (busy) return;
    setBusy(id);
    try {
      await approveContract(contractId);
      void Taro.showToast({ title: "已通过审核", icon: "none" }).catch(() => undefined);
      done();
    } catch {
      // request() showed the server's message (e.g. already reviewed): the list is read again.
      state.reload();
    } finally {
      setBusy(null);
    }
  };

  const openRecord = async (id: string, contractId: string) => {
    setOpen({ id, form: "record", contract: null });
    try {
      const contract = await getContract(contractId);
      setOpen((o) => (o?.id === id && o.form === "record" ? { ...o, contract } : o));
    } catch {
      setOpen(null);
    }
  };

  const counts = data?.list.counts;
  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : 0;
  const options = [
    { value: "all" as const, label: `全部（${total}）` },
    ...WORKLIST_KINDS.map((k) => ({
      value: k,
      label: `${WORKLIST_KIND_NAMES[k]}（${counts?.[k] ?? 0}）`,
    })),
  ];

  const callButton = (item: WorkItem, idPrefix: string) => (
    <Button
      size="small"
      fill="outline"
      id={`${idPrefix}-call`}
      loading={calling === item.residentId}
      onClick={() => void call(item)}
    >
      电话联系
    </Button>
  );

  return (
    <PageShell
      title="待办"
      subtitle="需要团队主动跟进的居民"
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="worklist"
    >
      {loggedIn && !state.loading && !data ? <NoTeamState description="加入团队后可查看团队待办。" /> : null}
      {data ? (
        <>
          <OptionChips<Filter> idPrefix="worklist-kind" options={options} value={filter} onChange={choose} />
          {data.list.items.length === 0 ? <View className="card muted">暂无待办</View> : null}
          {data.list.items.map((item) => {
            const idPrefix = `worklist-${item.kind}-${item.residentId}${item.appointmentId ?? item.requestId ?? ""}`;
            const form = open?.id === idPrefix ? open : null;
            const books = BOOKS[item.kind];
            const lastDone = LAST_DONE[item.kind];
            return (
              <View key={idPrefix} className="card" id={idPrefix}>
                <View className="person-block__head">
                  <View className="person-block__name">
                    {item.name}
                    <View className="choice__badge">{item.kindName}</View>
                  </View>
                  <View className="muted">截止 {item.dueBy}</View>
                </View>
                <View>{item.reason}</View>
                {lastDone ? (
                  <View className="muted" id={`${idPrefix}-last-done`}>
                    {lastDone}：
                    {item.lastDoneAt ? todayInChina(new Date(item.lastDoneAt)) : "本年度及上年度均无记录"}
                  </View>
                ) : null}
                {item.groups.length ? (
                  <View className="muted">{item.groups.map((g) => labelOf(GROUP_LABELS, g)).join("、")}</View>
                ) : null}
                {item.kind === "home_visit_requested" && item.requestId ? (
                  <>
                    <HomeVisitActions
                      requestId={item.requestId}
                      idPrefix={idPrefix}
                      defaultDate={item.dueBy}
                      onDone={state.reload}
                    />
                    <View className="actions actions--row">{callButton(item, idPrefix)}</View>
                  </>
                ) : null}
                {form?.form === "book" ? (
                  <BookOnBehalf
                    teamId={data.teamId}
                    residentId={item.residentId}
                    name={item.name}
                    groups={item.groups}
                    defaultType={books}
                    idPrefix={idPrefix}
                    onDone={done}
                    onCancel={() => setOpen(null)}
                  />
                ) : null}
                {form?.form === "record" ? (
                  form.contract ? (
                    <RecordServiceForm
                      contract={form.contract}
                      idPrefix={idPrefix}
                      defaultType={RECORDS[item.kind]}
                      onDone={done}
                      onCancel={() => setOpen(null)}
                    />
                  ) : (
                    <View className="muted" id={`${idPrefix}-record-loading`}>
                      正在读取签约…
                    </View>
                  )
                ) : null}
                {item.kind !== "home_visit_requested" && !form ? (
                  <View className="actions actions--row">
                    {item.kind === "review_overdue" && item.contractId ? (
                      <>
                        <Button
                          size="small"
                          type="primary"
                          id={`${idPrefix}-approve`}
                          loading={busy === idPrefix}
                          onClick={() => void approve(idPrefix, item.contractId as string)}
                        >
                          通过
                        </Button>
                        <Button
                          size="small"
                          fill="outline"
                          id={`${idPrefix}-review`}
                          onClick={() => navigate(PAGES.team)}
                        >
                          查看申请
                        </Button>
                      </>
                    ) : null}
                    {item.kind === "unrecorded_visit" ? (
                      <Button
                        size="small"
                        type="primary"
                        id={`${idPrefix}-record`}
                        onClick={() => navigate(PAGES.teamDay)}
                      >
                        登记结果
                      </Button>
                    ) : null}
                    {books ? (
                      <Button
                        size="small"
                        type="primary"
                        id={`${idPrefix}-book`}
                        onClick={() => setOpen({ id: idPrefix, form: "book" })}
                      >
                        代预约
                      </Button>
                    ) : null}
                    {books && item.contractId ? (
                      <Button
                        size="small"
                        fill="outline"
                        id={`${idPrefix}-service`}
                        onClick={() => void openRecord(idPrefix, item.contractId as string)}
                      >
                        记录服务
                      </Button>
                    ) : null}
                    {callButton(item, idPrefix)}
                  </View>
                ) : null}
              </View>
            );
          })}
        </>
      ) : null}
    </PageShell>
  );
}

import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { CarePlan } from "../../components/CarePlan";
import { ContractHistory } from "../../components/ContractHistory";
import { ContractSummary } from "../../components/ContractSummary";
import { EmptyState, PageShell } from "../../components/PageShell";
import { TerminationForm } from "../../components/TerminationForm";
import { Button } from "../../components/ui";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { confirm } from "../../lib/confirm";
import { isOpen } from "../../lib/contracts";
import { type Person, peopleOf } from "../../lib/people";
import { useAsync } from "../../lib/use-async";
import {
  confirmTermination,
  listResidentContracts,
  requestTermination,
  withdrawContract,
} from "../../services/contracts";
import { getMe } from "../../services/me";
import { PAGES } from "../../services/routes";
import type { Contract } from "../../services/types";

interface PersonContracts {
  person: Person;
  contracts: Contract[];
}

interface ContractsData {
  hasProfile: boolean;
  people: PersonContracts[];
}

/** Running contracts first, then the most recent application. */
function byRelevance(a: Contract, b: Contract): number {
  const open = Number(isOpen(b)) - Number(isOpen(a));
  return open !== 0 ? open : b.appliedAt.localeCompare(a.appliedAt);
}

async function loadContracts(): Promise<ContractsData> {
  const me = await getMe();
  const people = peopleOf(me);
  const lists = await Promise.all(people.map((p) => listResidentContracts(p.residentId)));
  return {
    hasProfile: !!me.profile,
    people: people.map((person, i) => ({
      person,
      contracts: [...(lists[i]?.items ?? [])].sort(byRelevance),
    })),
  };
}

export default function ContractsPage() {
  const loggedIn = useRequireLogin();
  const state = useAsync(loadContracts, loggedIn);
  const [terminating, setTerminating] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  Taro.useDidShow(() => {
    if (loggedIn && state.data) state.reload();
  });

  /** Puts the contract the API answered with in place of the old one. */
  const replace = (updated: Contract) => {
    if (!state.data) return;
    state.setData({
      ...state.data,
      people: state.data.people.map((p) => ({
        ...p,
        contracts: p.contracts.map((c) => (c.contractId === updated.contractId ? updated : c)),
      })),
    });
  };

  const act = async (contractId: string, action: () => Promise<Contract>, done: string) => {
    if (busy) return;
    setBusy(contractId);
    try {
      replace(await action());
      setTerminating(null);
      void Taro.showToast({ title: done, icon: "none" }).catch(() => undefined);
    } catch {
      // request() showed the server's message; the list may be stale, so read it again.
      state.reload();
    } finally {
      setBusy(null);
    }
  };

  const withdraw = async (c: Contract) => {
    const withdraw = {
      title: "撤回签约申请？",
      content: `将撤回向「${c.teamName}」提交的签约申请。`,
      confirmText: "确认撤回",
    };
    if (!(await confirm(withdraw))) return;
    await act(c.contractId, () => withdrawContract(c.contractId), "已撤回申请");
  };

  const confirmTerm = async (c: Contract) => {
    const end = {
      title: "确认解约？",
      content: `确认后与「${c.teamName}」的签约将终止。`,
      confirmText: "确认解约",
    };
    if (!(await confirm(end))) return;
    await act(c.contractId, () => confirmTermination(c.contractId), "已解约");
  };

  const data = state.data;
  const anyContract = data?.people.some((p) => p.contracts.length > 0) ?? false;

  return (
    <PageShell
      refresh={state}
      title="我的签约"
      subtitle="本人及家人的家庭医生签约与服务完成情况"
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="contracts"
    >
      {data && !data.hasProfile ? (
        <EmptyState
          title="请先完善个人信息"
          description="签约家庭医生需要实名信息。"
          action={
            <View className="state__actions">
              <Button type="primary" id="contracts-to-profile" onClick={() => navigate(PAGES.profile)}>
                去完善
              </Button>
            </View>
          }
        />
      ) : null}
      {data?.hasProfile && !anyContract ? (
        <EmptyState
          title="还没有签约记录"
          description="签约家庭医生后，可享受健康评估、慢病随访等免费基础服务。"
          action={
            <View className="state__actions">
              <Button type="primary" id="contracts-empty-sign" onClick={() => navigate(PAGES.sign)}>
                去签约
              </Button>
            </View>
          }
        />
      ) : null}
      {anyContract
        ? data?.people.map(({ person, contracts }) => {
            const hasOpen = contracts.some(isOpen);
            return (
              <View
                key={person.residentId}
                className="person-block"
                id={`contracts-person-${person.residentId}`}
              >
                <View className="person-block__head">
                  <View className="person-block__name">
                    {person.name}
                    <View className="choice__badge">{person.relation}</View>
                  </View>
                  {!hasOpen ? (
                    <Button
                      size="small"
                      type="primary"
                      fill="outline"
                      id={`contracts-sign-${person.residentId}`}
                      onClick={() =>
                        navigate(`${PAGES.sign}?residentId=${encodeURIComponent(person.residentId)}`)
                      }
                    >
                      去签约
                    </Button>
                  ) : null}
                </View>
                {contracts.length === 0 ? <View className="card muted">尚未签约家庭医生</View> : null}
                {contracts.map((c) => {
                  const idPrefix = `contract-${c.contractId}`;
                  const rowBusy = busy === c.contractId;
                  return (
                    <View key={c.contractId} className="card" id={idPrefix}>
                      <ContractSummary contract={c} idPrefix={idPrefix} />
                      {c.status === "pending" ? (
                        <View className="notice notice--info" id={`${idPrefix}-waiting`}>
                          等待团队审核（通常 72 小时内）
                        </View>
                      ) : null}
                      {c.status === "terminating" && c.termination?.requestedBy === "resident" ? (
                        <View className="notice notice--info" id={`${idPrefix}-termination-waiting`}>
                          已提交解约申请，等待签约团队确认。
                        </View>
                      ) : null}

                      {terminating === c.contractId ? (
                        <TerminationForm
                          idPrefix={idPrefix}
                          busy={rowBusy}
                          onCancel={() => setTerminating(null)}
                          onSubmit={(reason, note) =>
                            void act(
                              c.contractId,
                              () => requestTermination(c.contractId, { reason, ...(note ? { note } : {}) }),
                              "已提交解约申请",
                            )
                          }
                        />
                      ) : c.status === "pending" ||
                        c.status === "active" ||
                        (c.status === "terminating" && c.termination?.requestedBy === "team") ? (
                        <View className="actions actions--row">
                          {c.status === "pending" ? (
                            <Button
                              fill="outline"
                              id={`${idPrefix}-withdraw`}
                              loading={rowBusy}
                              onClick={() => void withdraw(c)}
                            >
                              撤回申请
                            </Button>
                          ) : null}
                          {c.status === "active" ? (
                            <Button
                              fill="outline"
                              id={`${idPrefix}-terminate`}
                              onClick={() => setTerminating(c.contractId)}
                            >
                              申请解约
                            </Button>
                          ) : null}
                          {c.status === "terminating" && c.termination?.requestedBy === "team" ? (
                            <Button
                              type="danger"
                              id={`${idPrefix}-confirm-termination`}
                              loading={rowBusy}
                              onClick={() => void confirmTerm(c)}
                            >
                              确认解约
                            </Button>
                          ) : null}
                        </View>
                      ) : null}
                      {c.status === "active" || c.status === "terminating" ? (
                        <CarePlan residentId={c.residentId} idPrefix={idPrefix} />
                      ) : null}
                      <ContractHistory contractId={c.contractId} idPrefix={idPrefix} />
                    </View>
                  );
                })}
              </View>
            );
          })
        : null}
    </PageShell>
  );
}

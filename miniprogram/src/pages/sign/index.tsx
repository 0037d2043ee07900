import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { type ReactNode, useMemo, useState } from "react";
import { EmptyState, PageShell } from "../../components/PageShell";
import { SubscribeStatus } from "../../components/SubscribeStatus";
import { Button, Checkbox, Tag } from "../../components/ui";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { maskName, moneyTotals, offeredPackages, openContractOf, yuan } from "../../lib/contracts";
import { ENTITLEMENT_LABELS, GROUP_LABELS, labelOf, TEAM_ROLE_LABELS } from "../../lib/labels";
import { type Person, peopleOf } from "../../lib/people";
import { useSubscribe } from "../../lib/subscribe";
import { useAsync } from "../../lib/use-async";
import { applyContract, listPackages, listResidentContracts, listTeams } from "../../services/contracts";
import { getMe, listCentres } from "../../services/me";
import { getConfig } from "../../services/platform";
import { ApiError } from "../../services/request";
import { PAGES } from "../../services/routes";
import type { Contract, Me, ServicePackage, Team } from "../../services/types";

/** Someone the account may sign for, with the contract that already holds a place (if any). */
interface Signer extends Person {
  open: Contract | null;
}

interface SignData {
  me: Me;
  agreementVersion: string;
  centreName: string;
  teams: Team[];
  packages: ServicePackage[];
  signers: Signer[];
}

export const AGREEMENT_TERM = "审核通过之日起一年，到期自动续约";
export const SUBMITTED_TEXT = "已提交，等待团队审核（通常 72 小时内）";

async function loadSignData(): Promise<SignData | { me: Me; noProfile: true }> {
  const me = await getMe();
  const profile = me.profile;
  if (!profile) return { me, noProfile: true };
  const people = peopleOf(me);
  const [config, centres, teams, packages, contracts] = await Promise.all([
    getConfig(),
    listCentres(),
    listTeams(profile.centreId),
    listPackages(profile.centreId),
    // A person whose contracts cannot be read is still offered; the server has the last word.
    Promise.all(
      people.map((p) =>
        listResidentContracts(p.residentId, { silent: true }).then(
          (page) => page.items,
          () => [] as Contract[],
        ),
      ),
    ),
  ]);
  return {
    me,
    agreementVersion: config.agreementVersion,
    centreName: centres.items.find((c) => c.centreId === profile.centreId)?.name ?? "所属社区卫生服务中心",
    teams: teams.items,
    packages: packages.items,
    signers: people.map((p, i) => ({ ...p, open: openContractOf(contracts[i] ?? []) ?? null })),
  };
}

function initialResident(): string | null {
  try {
    return Taro.getCurrentInstance().router?.params?.residentId ?? null;
  } catch {
    return null;
  }
}

/** What a 409 of applyContract means for the person signing, in plain Chinese. */
function applyErrorText(error: unknown): string {
  if (!(error instanceof ApiError)) return "提交失败，请稍后再试";
  switch (error.code) {
    case "ALREADY_SIGNED":
      return "该居民已有待审核或生效中的签约，不能重复签约。可在「我的签约」中查看。";
    case "TEAM_FULL":
      return "该团队签约户数已满，请选择其他团队。";
    case "OUT_OF_AREA":
      return "只能选择所在社区卫生服务中心的家庭医生团队。";
    case "VERSION_OUTDATED":
      return "签约协议已更新，请重新阅读协议后再提交。";
    default: {
      const details = error.details.map((d) => d.message).filter(Boolean);
      return details.length ? details.join("；") : error.message;
    }
  }
}

function Section({ step, title, children }: { step: number; title: string; children: ReactNode }) {
  return (
    <View className="card step">
      <View className="step__title">
        <View className="step__no">{step}</View>
        {title}
      </View>
      {children}
    </View>
  );
}

function PackageCard({
  pkg,
  selected,
  fixed,
  onToggle,
}: {
  pkg: ServicePackage;
  selected: boolean;
  fixed?: boolean;
  onToggle?: () => void;
}) {
  return (
    <View
      id={`sign-package-${pkg.packageId}`}
      className={`choice package${selected ? " choice--active" : ""}${fixed ? " choice--fixed" : ""}`}
      onClick={fixed ? undefined : onToggle}
    >
      <View className="choice__head">
        <View className="choice__title">
          {selected ? "✓ " : ""}
          {pkg.name}
        </View>
        {fixed ? (
          <Tag background="#e8f6ef" color="#166a56">
            基础包 · 必选
          </Tag>
        ) : pkg.targetGroups.length ? (
          <Tag background="#eef4fb" color="#245a8d">
            {pkg.targetGroups.map((g) => labelOf(GROUP_LABELS, g)).join("、")}
          </Tag>
        ) : null}
      </View>
      <View className="choice__desc">{pkg.description}</View>
      <View className="choice__desc">
        服务内容：
        {pkg.items
          .map((item) => `${item.name || labelOf(ENTITLEMENT_LABELS, item.type)} ${item.timesPerYear}次/年`)
          .join("，")}
      </View>
      <View className="package__money" id={`sign-package-${pkg.packageId}-money`}>
        <View>费用 {yuan(pkg.feeFen)}</View>
        <View>补助 {yuan(pkg.subsidyFen)}</View>
        <View className="package__pays">自付 {yuan(pkg.residentPaysFen)}</View>
      </View>
    </View>
  );
}

function AgreementRow({ label, id, children }: { label: string; id?: string; children: ReactNode }) {
  return (
    <View className="result__row">
      <View className="result__label">{label}</View>
      <View className="result__value" id={id}>
        {children}
      </View>
    </View>
  );
}

export default function SignPage() {
  const loggedIn = useRequireLogin();
  const state = useAsync(loadSignData, loggedIn);
  const [residentId, setResidentId] = useState<string | null>(initialResident);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [agreed, setAgreed] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<{ code: string; text: string } | null>(null);
  const [submitted, setSubmitted] = useState<Contract | null>(null);

  const data = state.data && "signers" in state.data ? state.data : null;
  const noProfile = !!state.data && "noProfile" in state.data;

  // The chosen person: the one asked for, else the first who can still sign.
  const signer = useMemo(() => {
    if (!data) return null;
    const asked = data.signers.find((s) => s.residentId === residentId);
    if (asked) return asked;
    if (residentId === null) return data.signers.find((s) => !s.open) ?? null;
    return null;
  }, [data, residentId]);
  const team = data?.teams.find((t) => t.teamId === teamId) ?? null;
  const offered = useMemo(() => offeredPackages(data?.packages ?? [], signer?.groups ?? []), [data, signer]);
  const chosenOptional = offered.optional.filter((p) => chosen.includes(p.packageId));
  const contractPackages = [...offered.basic, ...chosenOptional];
  const totals = moneyTotals(contractPackages);

  // Any change to what is signed asks for the agreement to be confirmed again.
  const change = (fn: () => void) => {
    fn();
    setAgreed(false);
    setError(null);
  };

  const chooseSigner = (s: Signer) => {
    if (s.open) return;
    change(() => {
      setResidentId(s.residentId);
      // Keep only the optional packages that still fit the newly chosen person.
      const fits = offeredPackages(data?.packages ?? [], s.groups).optional.map((p) => p.packageId);
      setChosen((prev) => prev.filter((id) => fits.includes(id)));
    });
  };

  const missing: string[] = [];
  if (!signer || signer.open) missing.push("签约人");
  if (!team) missing.push("家庭医生团队");
  const canSubmit = missing.length === 0 && agreed && !submitting;

  const subscribe = useSubscribe();

  /** 确认签约: the WeChat request for the review result comes first, synchronously (nothing awaited before it). */
  const confirm = () => {
    if (canSubmit) void subscribe.request(["contractResult"]);
    void submit();
  };

  const submit = async () => {
    if (!data || !signer || !team || !agreed || submitting) return;
    setSubmitting(true);
    setError(null);
    try {
      const contract = await applyContract({
        residentId: signer.residentId,
        teamId: team.teamId,
        packageIds: contractPackages.map((p) => p.packageId),
        agreementVersion: data.agreementVersion,
        signature: { confirmed: true },
      });
      setSubmitted(contract);
    } catch (err) {
      const text = applyErrorText(err);
      const code = err instanceof ApiError ? err.code : "UNKNOWN";
      setError({ code, text });
      void Taro.showToast({ title: text, icon: "none", duration: 2500 }).catch(() => undefined);
      if (code === "TEAM_FULL" || code === "VERSION_OUTDATED" || code === "ALREADY_SIGNED") {
        if (code === "TEAM_FULL") setTeamId(null);
        setAgreed(false);
        state.reload();
      }
    } finally {
      setSubmitting(false);
    }
  };

  if (submitted) {
    return (
      <PageShell title="签约家庭医生" id="sign">
        <View className="card success" id="sign-success">
          <View className="success__mark">✓</View>
          <View className="success__title">{SUBMITTED_TEXT}</View>
          <View className="success__desc">
            {signer ? `${signer.name}（${signer.relation}）` : ""}申请签约「{submitted.teamName}」，
            团队审核通过后签约即生效，您可以在「我的签约」中查看进度。
          </View>
        </View>
        <SubscribeStatus outcome={subscribe.outcome} id="sign-subscribe-status" />
        <View className="actions">
          <Button
            block
            type="primary"
            size="large"
            id="sign-to-contracts"
            onClick={() => void Taro.redirectTo({ url: PAGES.contracts }).catch(() => undefined)}
          >
            查看我的签约
          </Button>
          <Button
            block
            fill="outline"
            type="primary"
            size="large"
            id="sign-home"
            onClick={() => void Taro.reLaunch({ url: PAGES.home }).catch(() => undefined)}
          >
            返回首页
          </Button>
        </View>
      </PageShell>
    );
  }

  return (
    <PageShell
      title="签约家庭医生"
      subtitle="选择签约人、团队和服务包，阅读协议后提交，由团队审核"
      loading={!loggedIn || (state.loading && !state.data)}
      error={state.error}
      onRetry={state.reload}
      id="sign"
    >
      {noProfile ? (
        <EmptyState
          title="请先完善个人信息"
          description="签约家庭医生需要实名信息。"
          action={
            <View className="state__actions">
              <Button type="primary" id="sign-to-profile" onClick={() => navigate(PAGES.profile)}>
                去完善
              </Button>
            </View>
          }
        />
      ) : null}
      {data ? (
        <>
          <Section step={1} title="选择签约人">
            <View className="choices" id="sign-people">
              {data.signers.map((s) => (
                <View
                  key={s.residentId}
                  id={`sign-person-${s.residentId}`}
                  className={`choice${signer?.residentId === s.residentId ? " choice--active" : ""}${
                    s.open ? " choice--disabled" : ""
                  }`}
                  onClick={() => chooseSigner(s)}
                >
                  <View className="choice__head">
                    <View className="choice__title">
                      {s.name}
                      <View className="choice__badge">{s.relation}</View>
                    </View>
                    {s.open ? (
                      <Tag background="#eef1f0" color="#5f6b66">
                        {s.open.statusName}
                      </Tag>
                    ) : null}
                  </View>
                  <View className="choice__desc">
                    {s.age} 岁
                    {s.groups.length ? ` · ${s.groups.map((g) => labelOf(GROUP_LABELS, g)).join("、")}` : ""}
                  </View>
                  {s.open ? (
                    <View className="choice__desc">已与「{s.open.teamName}」签约，不能重复签约</View>
                  ) : null}
                </View>
              ))}
            </View>
            <View className="form-field__hint">
              为家人签约？请先在「家庭成员」中添加。
              <View className="link" id="sign-to-family" onClick={() => navigate(PAGES.family)}>
                添加家庭成员 ›
              </View>
            </View>
          </Section>

          <Section step={2} title="选择家庭医生团队">
            {data.teams.length === 0 ? (
              <View className="muted" id="sign-teams-empty">
                该中心暂无可签约的团队。
              </View>
            ) : null}
            <View className="choices" id="sign-teams">
              {data.teams.map((t) => {
                const full = t.remainingHouseholds <= 0;
                return (
                  <View
                    key={t.teamId}
                    id={`sign-team-${t.teamId}`}
                    className={`choice${teamId === t.teamId ? " choice--active" : ""}${full ? " choice--disabled" : ""}`}
                    onClick={() => {
                      if (!full) change(() => setTeamId(t.teamId));
                    }}
                  >
                    <View className="choice__head">
                      <View className="choice__title">
                        {teamId === t.teamId ? "✓ " : ""}
                        {t.name}
                      </View>
                      {full ? (
                        <Tag type="danger" id={`sign-team-${t.teamId}-full`}>
                          已满
                        </Tag>
                      ) : (
                        <View className="choice__extra" id={`sign-team-${t.teamId}-remaining`}>
                          剩余 {t.remainingHouseholds} 户
                        </View>
                      )}
                    </View>
                    <View className="team-members">
                      {t.members.map((m) => (
                        <View key={`${m.role}-${m.name}`} className="team-member">
                          <View className="team-member__role">{labelOf(TEAM_ROLE_LABELS, m.role)}</View>
                          {m.name}
                        </View>
                      ))}
                    </View>
                  </View>
                );
              })}
            </View>
          </Section>

          <Section step={3} title="选择服务包">
            <View className="choices" id="sign-packages">
              {offered.basic.map((p) => (
                <PackageCard key={p.packageId} pkg={p} selected fixed />
              ))}
              {offered.optional.map((p) => (
                <PackageCard
                  key={p.packageId}
                  pkg={p}
                  selected={chosen.includes(p.packageId)}
                  onToggle={() =>
                    change(() =>
                      setChosen((prev) =>
                        prev.includes(p.packageId)
                          ? prev.filter((id) => id !== p.packageId)
                          : [...prev, p.packageId],
                      ),
                    )
                  }
                />
              ))}
            </View>
            {offered.optional.length === 0 ? (
              <View className="form-field__hint" id="sign-packages-none">
                暂无适合{signer ? signer.name : "该居民"}的其他服务包，基础服务包免费提供。
              </View>
            ) : (
              <View className="form-field__hint">只显示适合{signer ? signer.name : "签约人"}的服务包。</View>
            )}
          </Section>

          <Section step={4} title="阅读签约协议">
            <View className="agreement" id="sign-agreement">
              <View className="agreement__title">家庭医生签约服务协议书（摘要）</View>
              <AgreementRow label="服务中心" id="sign-agreement-centre">
                {data.centreName}
              </AgreementRow>
              <AgreementRow label="签约团队" id="sign-agreement-team">
                {team ? team.name : "请选择团队"}
              </AgreementRow>
              <AgreementRow label="团队成员" id="sign-agreement-members">
                {team
                  ? team.members.map((m) => `${labelOf(TEAM_ROLE_LABELS, m.role)} ${m.name}`).join("，")
                  : "—"}
              </AgreementRow>
              <AgreementRow label="签约居民" id="sign-agreement-person">
                {signer && !signer.open ? (
                  <>
                    {maskName(signer.name)}（{signer.relation}）
                    <View className="result__sub">证件：{signer.idNumberMasked}</View>
                    {signer.phoneMasked ? (
                      <View className="result__sub">手机：{signer.phoneMasked}</View>
                    ) : null}
                  </>
                ) : (
                  "请选择签约人"
                )}
              </AgreementRow>
              <AgreementRow label="服务包" id="sign-agreement-packages">
                {contractPackages.map((p) => p.name).join("，") || "—"}
              </AgreementRow>
              <AgreementRow label="费用" id="sign-agreement-fee">
                合计 {yuan(totals.feeFen)}，政府补助 {yuan(totals.subsidyFen)}，
                <View className="package__pays">个人自付 {yuan(totals.residentPaysFen)}</View>
              </AgreementRow>
              <AgreementRow label="服务期限" id="sign-agreement-term">
                {AGREEMENT_TERM}
              </AgreementRow>
              <View className="agreement__text">
                签约居民自愿选择上述团队为其提供家庭医生签约服务；团队按服务包内容提供服务并记录履约情况。签约期内如需解约，须双方确认。协议版本：
                {data.agreementVersion}
              </View>
            </View>
            <Checkbox
              id="sign-agree"
              className="consent-check"
              checked={agreed}
              onChange={(on) => {
                setAgreed(on);
                setError(null);
              }}
              label="我已阅读并同意《家庭医生签约服务协议书》"
            />
          </Section>

          {error ? (
            <View className="notice notice--error" id="sign-error" data-code={error.code}>
              {error.text}
              {error.code === "ALREADY_SIGNED" ? (
                <View className="link" id="sign-error-contracts" onClick={() => navigate(PAGES.contracts)}>
                  查看我的签约 ›
                </View>
              ) : null}
            </View>
          ) : null}
          {missing.length ? (
            <View className="form-field__hint" id="sign-missing">
              请选择{missing.join("和")}
            </View>
          ) : !agreed ? (
            <View className="form-field__hint" id="sign-missing">
              请阅读协议并勾选“我已阅读并同意”
            </View>
          ) : null}
          <View className="actions">
            <Button
              block
              type="primary"
              size="large"
              id="sign-submit"
              disabled={!canSubmit}
              loading={submitting}
              onClick={confirm}
            >
              确认签约并提交
            </Button>
          </View>
        </>
      ) : null}
    </PageShell>
  );
}

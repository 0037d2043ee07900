import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useMemo, useState } from "react";
import { EmptyState, PageShell } from "../../components/PageShell";
import { Button, Checkbox } from "../../components/ui";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { moneyTotals, offeredPackages } from "../../lib/contracts";
import { useSubscribe } from "../../lib/subscribe";
import { useAsync } from "../../lib/use-async";
import { applyContract } from "../../services/contracts";
import { ApiError } from "../../services/request";
import { PAGES } from "../../services/routes";
import type { Contract } from "../../services/types";
import { AgreementSummary } from "./AgreementSummary";
import { applyErrorText, initialResident, loadSignData, type Signer } from "./load-sign";
import { SignedCard } from "./SignedCard";
import { SignerChoices } from "./SignerChoices";
import { PackageCard, Section } from "./SignParts";
import { TeamChoices } from "./TeamChoices";

export { SUBMITTED_TEXT } from "./load-sign";

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
    return <SignedCard signer={signer} submitted={submitted} subscribeOutcome={subscribe.outcome} />;
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
            <SignerChoices signers={data.signers} signer={signer} chooseSigner={chooseSigner} />
          </Section>

          <Section step={2} title="选择家庭医生团队">
            <TeamChoices teams={data.teams} teamId={teamId} onPick={(id) => change(() => setTeamId(id))} />
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
            <AgreementSummary
              centreName={data.centreName}
              agreementVersion={data.agreementVersion}
              team={team}
              signer={signer}
              contractPackages={contractPackages}
              totals={totals}
            />
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

import { View } from "@tarojs/components";
import { maskName, type moneyTotals, yuan } from "../../lib/contracts";
import { labelOf, TEAM_ROLE_LABELS } from "../../lib/labels";
import type { ServicePackage, Team } from "../../services/types";
import { AGREEMENT_TERM, type Signer } from "./load-sign";
import { AgreementRow } from "./SignParts";

/** Step 4: the agreement as it will be signed, with masked identifiers only. */
export function AgreementSummary({
  centreName,
  agreementVersion,
  team,
  signer,
  contractPackages,
  totals,
}: {
  centreName: string;
  agreementVersion: string;
  team: Team | null;
  signer: Signer | null;
  contractPackages: ServicePackage[];
  totals: ReturnType<typeof moneyTotals>;
}) {
  return (
    <View className="agreement" id="sign-agreement">
      <View className="agreement__title">家庭医生签约服务协议书（摘要）</View>
      <AgreementRow label="服务中心" id="sign-agreement-centre">
        {centreName}
      </AgreementRow>
      <AgreementRow label="签约团队" id="sign-agreement-team">
        {team ? team.name : "请选择团队"}
      </AgreementRow>
      <AgreementRow label="团队成员" id="sign-agreement-members">
        {team ? team.members.map((m) => `${labelOf(TEAM_ROLE_LABELS, m.role)} ${m.name}`).join("，") : "—"}
      </AgreementRow>
      <AgreementRow label="签约居民" id="sign-agreement-person">
        {signer && !signer.open ? (
          <>
            {maskName(signer.name)}（{signer.relation}）
            <View className="result__sub">证件：{signer.idNumberMasked}</View>
            {signer.phoneMasked ? <View className="result__sub">手机：{signer.phoneMasked}</View> : null}
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
        {agreementVersion}
      </View>
    </View>
  );
}

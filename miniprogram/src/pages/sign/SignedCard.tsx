import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { PageShell } from "../../components/PageShell";
import { SubscribeStatus } from "../../components/SubscribeStatus";
import { Button } from "../../components/ui";
import type { useSubscribe } from "../../lib/subscribe";
import { PAGES } from "../../services/routes";
import type { Contract } from "../../services/types";
import { type Signer, SUBMITTED_TEXT } from "./load-sign";

/** 已提交: the application waits for the team's review. */
export function SignedCard({
  signer,
  submitted,
  subscribeOutcome,
}: {
  signer: Signer | null;
  submitted: Contract;
  subscribeOutcome: ReturnType<typeof useSubscribe>["outcome"];
}) {
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
      <SubscribeStatus outcome={subscribeOutcome} id="sign-subscribe-status" />
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

import { ScrollView, View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { PageShell } from "../../components/PageShell";
import { Button, Checkbox } from "../../components/ui";
import { navigate } from "../../lib/auth-guard";
import { useAsync } from "../../lib/use-async";
import { getConfig } from "../../services/platform";
import { PAGES } from "../../services/routes";
import { getConsent, saveConsent } from "../../services/session";

const POLICY_SECTIONS: { title: string; body: string }[] = [
  {
    title: "一、我们收集哪些信息",
    body: "为办理家庭医生签约、预约和健康服务，我们会收集您的姓名、证件类型及号码、手机号、所属社区和详细地址；您为家人代办时，还会收集家人的上述信息及与您的关系。",
  },
  {
    title: "二、健康信息（敏感个人信息）",
    body: "慢性病、孕产妇、残疾等重点人群标识，以及预约、随访、评价等服务记录属于敏感个人信息，仅用于为您提供签约服务、安排随访和推送健康通知，需要您单独同意。",
  },
  {
    title: "三、我们如何保护信息",
    body: "证件号码和手机号加密存储、界面只显示脱敏后的内容；只有您签约团队的医护人员和所属中心的管理员在工作需要时才能查看。我们不会向第三方出售您的个人信息。",
  },
  {
    title: "四、您的权利",
    body: "您可以在「我的」页面查看和更正个人信息、导出您的数据或注销账号。注销后，我们将按法律法规要求删除或匿名化处理您的个人信息。",
  },
];

export default function ConsentPage() {
  const config = useAsync(getConfig);
  const [privacy, setPrivacy] = useState(false);
  const [healthData, setHealthData] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const version = config.data?.privacyPolicyVersion ?? "";
  const accepted = getConsent();

  const accept = () => {
    if (!privacy || !healthData) {
      setError("请勾选同意隐私政策，并单独同意处理健康信息");
      return;
    }
    saveConsent(version);
    void Taro.redirectTo({ url: PAGES.login }).catch(() => undefined);
  };

  const decline = () => {
    void Taro.reLaunch({ url: PAGES.home }).catch(() => undefined);
  };

  return (
    <PageShell
      title="隐私政策与健康信息授权"
      subtitle={version ? `隐私政策版本：${version}` : undefined}
      loading={config.loading}
      error={config.error}
      onRetry={config.reload}
      id="consent"
    >
      {accepted && accepted.privacyPolicyVersion !== version ? (
        <View className="notice notice--warn" id="consent-updated">
          隐私政策已更新，请阅读后重新确认。
        </View>
      ) : null}
      <ScrollView scrollY className="policy" id="consent-policy">
        {POLICY_SECTIONS.map((section) => (
          <View key={section.title} className="policy__section">
            <View className="policy__title">{section.title}</View>
            <View className="policy__body">{section.body}</View>
          </View>
        ))}
      </ScrollView>
      <View className="link" id="consent-full-policy" onClick={() => navigate(PAGES.privacy)}>
        阅读《家医隐私政策》全文 ›
      </View>

      <View className="card consent-checks">
        <Checkbox
          id="consent-privacy"
          className="consent-check"
          checked={privacy}
          onChange={(on) => {
            setPrivacy(on);
            setError(null);
          }}
          label="我已阅读并同意《家医隐私政策》"
        />
        <Checkbox
          id="consent-health"
          className="consent-check"
          checked={healthData}
          onChange={(on) => {
            setHealthData(on);
            setError(null);
          }}
          label="我单独同意家医处理我和家人的健康信息（敏感个人信息），用于签约、预约、随访和健康通知"
        />
        {error ? (
          <View className="form-field__error" id="consent-error">
            {error}
          </View>
        ) : null}
      </View>

      <View className="actions">
        <Button block type="primary" size="large" id="consent-accept" disabled={!version} onClick={accept}>
          同意并继续
        </Button>
        <Button block fill="none" size="large" id="consent-decline" onClick={decline}>
          暂不同意
        </Button>
      </View>
    </PageShell>
  );
}

import { View } from "@tarojs/components";
import { PageShell } from "../../components/PageShell";
import { PRIVACY_POLICY } from "../../lib/privacy-policy";
import { useAsync } from "../../lib/use-async";
import { getConfig } from "../../services/platform";

/** The full privacy policy, linked from the consent page and the privacy dialog. */
export default function PrivacyPage() {
  const config = useAsync(getConfig);
  const version = config.data?.privacyPolicyVersion;
  return (
    <PageShell title="家医隐私政策" subtitle={version ? `版本：${version}` : undefined} id="privacy">
      {PRIVACY_POLICY.map((section, i) => (
        <View key={section.title} className="card policy__section" id={`privacy-section-${i + 1}`}>
          <View className="policy__title">{section.title}</View>
          {section.paragraphs.map((text) => (
            <View key={text} className="policy__body">
              {text}
            </View>
          ))}
        </View>
      ))}
    </PageShell>
  );
}

import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useEffect, useState } from "react";
import { EmptyState, PageShell } from "../../components/PageShell";
import { Button } from "../../components/ui";
import { PAGES } from "../../services/routes";

export default function ComingSoonPage() {
  const [title] = useState(() => {
    const raw = Taro.getCurrentInstance().router?.params?.title;
    try {
      return raw ? decodeURIComponent(raw) : "该功能";
    } catch {
      return "该功能";
    }
  });
  useEffect(() => {
    void Taro.setNavigationBarTitle({ title }).catch(() => undefined);
  }, [title]);
  return (
    <PageShell title={title} id="coming-soon">
      <EmptyState
        title="即将上线"
        description={`「${title}」正在建设中，敬请期待。`}
        action={
          <View className="state__actions">
            <Button
              type="primary"
              id="coming-soon-home"
              onClick={() => void Taro.reLaunch({ url: PAGES.home }).catch(() => undefined)}
            >
              返回首页
            </Button>
          </View>
        }
      />
    </PageShell>
  );
}

import { View } from "@tarojs/components";
import type { ReactNode } from "react";
import { useElderMode } from "../lib/elder-mode";
import type { AsyncState } from "../lib/use-async";
import { PrivacyPopup } from "./PrivacyPopup";
import { Refreshable } from "./Refreshable";
import { Button, Empty, Loading } from "./ui";

export interface PageShellProps {
  /** Page heading shown at the top of the content (the navigation bar shows the short title). */
  title?: string;
  subtitle?: string;
  /** While true the content is replaced by a loading indicator. */
  loading?: boolean;
  /** When set the content is replaced by an error state with a retry button. */
  error?: string | null;
  onRetry?: () => void;
  /** A list page: pulling down reloads this state. */
  refresh?: Pick<AsyncState<unknown>, "loading" | "reload">;
  className?: string;
  id?: string;
  children?: ReactNode;
}

/**
 * The layout every page uses. It applies the elder-mode root class (`elder-mode`: larger text and
 * tap targets) and renders the shared loading and error states.
 */
export function PageShell({
  title,
  subtitle,
  loading,
  error,
  onRetry,
  refresh,
  className,
  id,
  children,
}: PageShellProps) {
  const [elder] = useElderMode();
  const classes = ["page-shell", elder ? "elder-mode" : "", className ?? ""].filter(Boolean).join(" ");
  let body: ReactNode = children;
  if (loading) {
    body = (
      <View className="state state--loading" id="page-loading">
        <Loading type="circular">正在加载…</Loading>
      </View>
    );
  } else if (error) {
    body = <ErrorState message={error} onRetry={onRetry} />;
  } else if (refresh) {
    body = <Refreshable state={refresh}>{children}</Refreshable>;
  }
  return (
    <View className={classes} id={id} data-elder={elder ? "on" : "off"}>
      {title ? (
        <View className="page-header">
          <View className="page-header__title">{title}</View>
          {subtitle ? <View className="page-header__subtitle">{subtitle}</View> : null}
        </View>
      ) : null}
      {body}
      <PrivacyPopup />
    </View>
  );
}

/**
 * A local picture for the empty and error states: NutUI's defaults are images on a JD CDN, which a
 * mini-program may not load (domain allow-list) and which would tell a third party who looks.
 */
function StateIcon({ tone }: { tone: "empty" | "error" }) {
  return <View className={`state__icon state__icon--${tone}`}>{tone === "error" ? "!" : "暂无"}</View>;
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <View className="state state--error" id="page-error">
      <Empty status="error" title="加载失败" description={message} image={<StateIcon tone="error" />} />
      {onRetry ? (
        <Button className="state__action" id="page-retry" type="primary" fill="outline" onClick={onRetry}>
          重新加载
        </Button>
      ) : null}
    </View>
  );
}

export function EmptyState({
  title,
  description,
  action,
}: {
  title: string;
  description?: string;
  action?: ReactNode;
}) {
  return (
    <View className="state state--empty">
      <Empty status="empty" title={title} description={description} image={<StateIcon tone="empty" />} />
      {action}
    </View>
  );
}

/** A staff page for someone not (or no longer) in a family-doctor team. */
export function NoTeamState({
  description = "请使用中心管理员发放的邀请码加入团队。",
}: {
  description?: string;
}) {
  return <EmptyState title="您还没有加入家庭医生团队" description={description} />;
}

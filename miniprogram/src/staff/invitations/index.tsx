import { Text, View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { OptionChips } from "../../components/OptionChips";
import { EmptyState, PageShell } from "../../components/PageShell";
import { QrCode } from "../../components/QrCode";
import { Button } from "../../components/ui";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { confirm } from "../../lib/confirm";
import { CENTRE_ROLE_OPTIONS, ROLE_LABELS } from "../../lib/labels";
import { dateTimeText } from "../../lib/notices";
import { errorMessage, useAsync } from "../../lib/use-async";
import { getMe } from "../../services/me";
import { PAGES } from "../../services/routes";
import {
  type CentreRole,
  createInvitation,
  type Invitation,
  inviteQrText,
  listAllTeams,
  listInvitations,
  type OpenInvitation,
  revokeInvitation,
} from "../../services/staff";
import type { Team } from "../../services/types";

interface Data {
  centreId: string | null;
  manager: boolean;
  teams: Team[];
  open: OpenInvitation[];
}

async function load(): Promise<Data> {
  const me = await getMe();
  const centreId = me.user.centreId ?? null;
  const manager = me.user.roles.includes("manager");
  if (!manager || !centreId) return { centreId, manager, teams: [], open: [] };
  const [teams, open] = await Promise.all([listAllTeams(centreId), listInvitations(centreId)]);
  return { centreId, manager, teams, open: open.items };
}

/** The manager issues invitation codes (role, team), shares them as text or QR, and revokes open ones. */
export default function InvitationsPage() {
  const loggedIn = useRequireLogin();
  const state = useAsync(load, loggedIn);
  const [role, setRole] = useState<CentreRole>("doctor");
  const [teamId, setTeamId] = useState<string | null>(null);
  const [issuing, setIssuing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [issued, setIssued] = useState<Invitation | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const data = state.data;
  const teamName = (id?: string | null) => data?.teams.find((t) => t.teamId === id)?.name ?? "";
  const needsTeam = role !== "manager";

  const issue = async () => {
    if (!data?.centreId || issuing) return;
    if (needsTeam && !teamId) {
      setError("请选择成员加入的团队");
      return;
    }
    setIssuing(true);
    setError(null);
    try {
      const invitation = await createInvitation(
        data.centreId,
        needsTeam && teamId ? { role, teamId } : { role },
      );
      setIssued(invitation);
      setShown(invitation.code);
      const open = await listInvitations(data.centreId);
      state.setData({ ...data, open: open.items });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setIssuing(false);
    }
  };

  const copy = (invitation: Pick<OpenInvitation, "code" | "role" | "teamId">) => {
    const where = invitation.teamId ? `「${teamName(invitation.teamId)}」` : "社区卫生服务中心";
    const text = `邀请您以${ROLE_LABELS[invitation.role]}身份加入${where}。打开「家医」小程序 →「我的」→「加入团队」，输入邀请码：${invitation.code}`;
    Taro.setClipboardData({ data: text }).then(
      () => void Taro.showToast({ title: "邀请码已复制", icon: "none" }).catch(() => undefined),
      () =>
        void Taro.showToast({ title: "复制失败，请长按邀请码手动复制", icon: "none" }).catch(() => undefined),
    );
  };

  const revoke = async (invitation: OpenInvitation) => {
    if (!data?.centreId || revoking) return;
    const ok = await confirm({
      title: "撤销邀请码？",
      content: `撤销后，邀请码 ${invitation.code} 将无法再使用。`,
      confirmText: "撤销",
      cancelText: "保留",
    });
    if (!ok) return;
    setRevoking(invitation.code);
    try {
      await revokeInvitation(data.centreId, invitation.code);
      state.setData({ ...data, open: data.open.filter((i) => i.code !== invitation.code) });
      if (issued?.code === invitation.code) setIssued(null);
    } catch {
      // request() showed the server's message.
    } finally {
      setRevoking(null);
    }
  };

  return (
    <PageShell
      title="邀请团队成员"
      subtitle="生成邀请码，新成员在「加入团队」中输入或扫码即可加入"
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="invitations"
    >
      {data && !data.manager ? (
        <EmptyState title="仅中心管理员可以邀请成员" description="如需加入团队，请向管理员索取邀请码" />
      ) : null}
      {data?.manager ? (
        <>
          <View className="card" id="invite-form">
            <View className="section-title">新邀请</View>
            <View className="form-field__label">角色</View>
            <OptionChips
              idPrefix="invite-role"
              options={CENTRE_ROLE_OPTIONS}
              value={role}
              onChange={(v) => {
                setRole(v);
                setError(null);
              }}
            />
            {needsTeam ? (
              <>
                <View className="form-field__label">团队</View>
                {data.teams.length === 0 ? (
                  <View className="muted">本中心还没有团队</View>
                ) : (
                  <OptionChips
                    idPrefix="invite-team"
                    options={data.teams.map((t) => ({ value: t.teamId, label: t.name }))}
                    value={teamId}
                    onChange={(v) => {
                      setTeamId(v);
                      setError(null);
                    }}
                  />
                )}
              </>
            ) : null}
            {error ? (
              <View className="notice notice--error" id="invite-error">
                {error}
              </View>
            ) : null}
            <Button block type="primary" id="invite-submit" loading={issuing} onClick={() => void issue()}>
              生成邀请码
            </Button>
          </View>

          {issued ? (
            <View className="card invite-issued" id="invite-issued">
              <View className="section-title">邀请码已生成</View>
              <Text className="invite-code" id="invite-issued-code" userSelect>
                {issued.code}
              </Text>
              <View className="muted">
                {ROLE_LABELS[issued.role]}
                {issued.teamId ? ` · ${teamName(issued.teamId)}` : ""} · {dateTimeText(issued.expiresAt)}{" "}
                前有效
              </View>
            </View>
          ) : null}

          <View className="card" id="invite-open">
            <View className="section-title">未使用的邀请码（{data.open.length}）</View>
            {data.open.length === 0 ? (
              <View className="muted" id="invite-open-empty">
                暂无未使用的邀请码
              </View>
            ) : null}
            {data.open.map((invitation) => (
              <View key={invitation.code} className="invite-row" id={`invite-${invitation.code}`}>
                <View className="invite-row__main">
                  <View className="invite-code invite-code--small">{invitation.code}</View>
                  <View className="muted">
                    {ROLE_LABELS[invitation.role]}
                    {invitation.teamId ? ` · ${teamName(invitation.teamId)}` : ""} ·{" "}
                    {dateTimeText(invitation.expiresAt)} 前有效
                  </View>
                </View>
                <View className="invite-row__actions">
                  <Button
                    size="small"
                    fill="outline"
                    id={`invite-${invitation.code}-copy`}
                    onClick={() => copy(invitation)}
                  >
                    复制
                  </Button>
                  <Button
                    size="small"
                    fill="outline"
                    id={`invite-${invitation.code}-qr`}
                    onClick={() => setShown(shown === invitation.code ? null : invitation.code)}
                  >
                    {shown === invitation.code ? "收起" : "二维码"}
                  </Button>
                  <Button
                    size="small"
                    fill="none"
                    className="danger-link"
                    id={`invite-${invitation.code}-revoke`}
                    loading={revoking === invitation.code}
                    onClick={() => void revoke(invitation)}
                  >
                    撤销
                  </Button>
                </View>
                {shown === invitation.code ? (
                  <View className="invite-qr">
                    <QrCode text={inviteQrText(invitation.code)} id={`invite-${invitation.code}-qrcode`} />
                    <View className="muted">请新成员在「加入团队」中点「扫码」</View>
                  </View>
                ) : null}
              </View>
            ))}
          </View>

          <Button block fill="outline" id="invite-members" onClick={() => navigate(PAGES.members)}>
            管理团队成员 ›
          </Button>
        </>
      ) : null}
    </PageShell>
  );
}

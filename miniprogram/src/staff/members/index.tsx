import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { OptionChips } from "../../components/OptionChips";
import { EmptyState, PageShell } from "../../components/PageShell";
import { Button } from "../../components/ui";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { confirm } from "../../lib/confirm";
import { CENTRE_ROLE_OPTIONS, ROLE_LABELS } from "../../lib/labels";
import { errorMessage, useAsync } from "../../lib/use-async";
import { getMe } from "../../services/me";
import { PAGES } from "../../services/routes";
import {
  type CentreRole,
  listAllTeams,
  listStaff,
  removeStaff,
  type StaffMember,
  updateStaff,
} from "../../services/staff";
import type { Team } from "../../services/types";

interface Data {
  centreId: string | null;
  manager: boolean;
  selfId: string;
  teams: Team[];
  staff: StaffMember[];
}

async function load(): Promise<Data> {
  const me = await getMe();
  const centreId = me.user.centreId ?? null;
  const manager = me.user.roles.includes("manager");
  const base = { centreId, manager, selfId: me.user.id, teams: [], staff: [] };
  if (!manager || !centreId) return base;
  const [teams, staff] = await Promise.all([listAllTeams(centreId), listStaff(centreId)]);
  return { ...base, teams, staff: staff.items };
}

interface Edit {
  userId: string;
  roles: CentreRole[];
  teamId: string | null;
}

/** The manager sees the centre's staff, moves them between teams, changes roles, removes them. */
export default function MembersPage() {
  const loggedIn = useRequireLogin();
  const state = useAsync(load, loggedIn);
  const [edit, setEdit] = useState<Edit | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const data = state.data;
  const teamName = (id: string | null) => data?.teams.find((t) => t.teamId === id)?.name ?? "未分配团队";

  const save = async () => {
    if (!data?.centreId || !edit || saving) return;
    if (edit.roles.length === 0) {
      setError("至少保留一个角色；要移除成员请点「移除」");
      return;
    }
    if (edit.roles.some((r) => r !== "manager") && !edit.teamId) {
      setError("团队角色须选择团队");
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const member = await updateStaff(data.centreId, edit.userId, {
        roles: edit.roles,
        ...(edit.teamId ? { teamId: edit.teamId } : {}),
      });
      state.setData({ ...data, staff: data.staff.map((s) => (s.userId === member.userId ? member : s)) });
      setEdit(null);
      void Taro.showToast({ title: "已保存，成员下次操作时生效", icon: "none" }).catch(() => undefined);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  const remove = async (member: StaffMember) => {
    if (!data?.centreId) return;
    const ok = await confirm({
      title: `移除${member.name}？`,
      content: "移除后，该成员将不能再进入团队工作台；其签约居民仍由团队负责。",
      confirmText: "移除",
      cancelText: "取消",
    });
    if (!ok) return;
    try {
      await removeStaff(data.centreId, member.userId);
      state.setData({ ...data, staff: data.staff.filter((s) => s.userId !== member.userId) });
      if (edit?.userId === member.userId) setEdit(null);
    } catch {
      // request() showed the server's message.
    }
  };

  return (
    <PageShell
      title="团队成员管理"
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="members"
    >
      {data && !data.manager ? <EmptyState title="仅中心管理员可以管理成员" /> : null}
      {data?.manager && data.staff.length === 0 ? (
        <EmptyState
          title="还没有团队成员"
          action={
            <Button type="primary" id="members-invite" onClick={() => navigate(PAGES.invitations)}>
              邀请成员
            </Button>
          }
        />
      ) : null}
      {data?.manager
        ? data.staff.map((member) => {
            const editing = edit?.userId === member.userId;
            return (
              <View key={member.userId} className="card" id={`member-${member.userId}`}>
                <View className="result__row">
                  <View className="result__label" id={`member-${member.userId}-name`}>
                    {member.name}
                  </View>
                  <View className="result__value" id={`member-${member.userId}-team`}>
                    {member.roles.map((r) => ROLE_LABELS[r]).join("、")} · {teamName(member.teamId)}
                  </View>
                </View>
                {editing && edit ? (
                  <>
                    <View className="form-field__label">角色（可多选）</View>
                    <OptionChips
                      idPrefix={`member-${member.userId}-role`}
                      multiple
                      options={CENTRE_ROLE_OPTIONS}
                      value={edit.roles}
                      onChange={(r) =>
                        setEdit({
                          ...edit,
                          roles: edit.roles.includes(r)
                            ? edit.roles.filter((x) => x !== r)
                            : [...edit.roles, r],
                        })
                      }
                    />
                    <View className="form-field__label">团队</View>
                    <OptionChips
                      idPrefix={`member-${member.userId}-move`}
                      options={data.teams.map((t) => ({ value: t.teamId, label: t.name }))}
                      value={edit.teamId}
                      onChange={(teamId) => setEdit({ ...edit, teamId })}
                    />
                    {error ? (
                      <View className="notice notice--error" id="members-error">
                        {error}
                      </View>
                    ) : null}
                    <View className="actions">
                      <Button
                        type="primary"
                        id={`member-${member.userId}-save`}
                        loading={saving}
                        onClick={() => void save()}
                      >
                        保存
                      </Button>
                      <Button fill="none" disabled={saving} onClick={() => setEdit(null)}>
                        取消
                      </Button>
                    </View>
                  </>
                ) : (
                  <View className="actions actions--row">
                    <Button
                      size="small"
                      fill="outline"
                      id={`member-${member.userId}-edit`}
                      onClick={() => {
                        setError(null);
                        setEdit({ userId: member.userId, roles: [...member.roles], teamId: member.teamId });
                      }}
                    >
                      调整角色或团队
                    </Button>
                    {member.userId === data.selfId ? null : (
                      <Button
                        size="small"
                        fill="none"
                        className="danger-link"
                        id={`member-${member.userId}-remove`}
                        onClick={() => void remove(member)}
                      >
                        移除
                      </Button>
                    )}
                  </View>
                )}
              </View>
            );
          })
        : null}
    </PageShell>
  );
}

import { View } from "@tarojs/components";
import { Tag } from "../../components/ui";
import { labelOf, TEAM_ROLE_LABELS } from "../../lib/labels";
import type { Team } from "../../services/types";

/** Step 2: the centre's teams with their members and remaining places; a full team cannot be chosen. */
export function TeamChoices({
  teams,
  teamId,
  onPick,
}: {
  teams: Team[];
  teamId: string | null;
  onPick: (teamId: string) => void;
}) {
  return (
    <>
      {teams.length === 0 ? (
        <View className="muted" id="sign-teams-empty">
          该中心暂无可签约的团队。
        </View>
      ) : null}
      <View className="choices" id="sign-teams">
        {teams.map((t) => {
          const full = t.remainingHouseholds <= 0;
          return (
            <View
              key={t.teamId}
              id={`sign-team-${t.teamId}`}
              className={`choice${teamId === t.teamId ? " choice--active" : ""}${full ? " choice--disabled" : ""}`}
              onClick={() => {
                if (!full) onPick(t.teamId);
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
    </>
  );
}

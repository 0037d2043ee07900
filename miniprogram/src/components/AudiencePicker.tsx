import { View } from "@tarojs/components";
import { TARGET_GROUP_LABELS, TARGET_GROUPS } from "../lib/notices";
import type { TargetGroup } from "../services/types";
import { FormField } from "./FormField";
import { OptionChips } from "./OptionChips";

export type AudienceScope = "team" | "centre";

export interface AudienceValue {
  scope: AudienceScope;
  teamId: string | null;
  groups: TargetGroup[];
}

export interface AudiencePickerProps {
  /** Ids: `<idPrefix>-scope-<scope>`, `<idPrefix>-team-<teamId>`, `<idPrefix>-group-<group>`. */
  idPrefix: string;
  /** The scopes this author may choose; one scope is shown as a fixed label (staff: their team). */
  scopes: readonly AudienceScope[];
  /** The centre's teams, when the author picks one (a manager). */
  teams?: readonly { teamId: string; name: string }[];
  value: AudienceValue;
  onChange: (value: AudienceValue) => void;
  errors?: { teamId?: string; groups?: string };
}

const SCOPE_LABELS: Record<AudienceScope, string> = { team: "指定团队", centre: "全中心" };

/**
 * Who a notice or a manual survey reaches — the same targeting for both (API: `audience`): a team or
 * the whole centre, optionally narrowed to priority groups (any of them).
 */
export function AudiencePicker({ idPrefix, scopes, teams, value, onChange, errors }: AudiencePickerProps) {
  const toggleGroup = (g: TargetGroup) =>
    onChange({
      ...value,
      groups: value.groups.includes(g) ? value.groups.filter((x) => x !== g) : [...value.groups, g],
    });
  const pickTeam = value.scope === "team" && teams !== undefined;
  const whom = value.scope === "team" ? (pickTeam ? "所选团队" : "本团队") : "全中心";
  return (
    <View className="audience" id={`${idPrefix}-audience`}>
      {scopes.length > 1 ? (
        <FormField id={`${idPrefix}-scope`} label="发放范围" required>
          <OptionChips<AudienceScope>
            idPrefix={`${idPrefix}-scope`}
            options={scopes.map((s) => ({ value: s, label: SCOPE_LABELS[s] }))}
            value={value.scope}
            onChange={(scope) =>
              onChange({ ...value, scope, teamId: scope === "team" ? value.teamId : null })
            }
          />
        </FormField>
      ) : null}
      {pickTeam ? (
        <FormField id={`${idPrefix}-team`} label="团队" required error={errors?.teamId}>
          {teams.length === 0 ? (
            <View className="muted">本中心暂无团队</View>
          ) : (
            <OptionChips<string>
              idPrefix={`${idPrefix}-team`}
              options={teams.map((t) => ({ value: t.teamId, label: t.name }))}
              value={value.teamId}
              onChange={(teamId) => onChange({ ...value, teamId })}
            />
          )}
        </FormField>
      ) : null}
      <FormField
        id={`${idPrefix}-groups`}
        label={`受众：${whom}签约居民`}
        error={errors?.groups}
        hint="不选则发给全部；可多选，发给属于任一人群的居民"
      >
        <OptionChips<TargetGroup>
          idPrefix={`${idPrefix}-group`}
          options={TARGET_GROUPS.map((g) => ({ value: g, label: TARGET_GROUP_LABELS[g] }))}
          value={value.groups}
          multiple
          onChange={toggleGroup}
        />
      </FormField>
    </View>
  );
}

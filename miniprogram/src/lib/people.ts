import type { PriorityGroup } from "@shared/enums";
import type { Me } from "../services/types";
import { labelOf, RELATION_LABELS } from "./labels";

/** Someone the account may sign for: the resident themself or a family member they represent. */
export interface Person {
  residentId: string;
  name: string;
  /** "本人" or the family relation ("父母", …). */
  relation: string;
  self: boolean;
  age: number;
  groups: PriorityGroup[];
  idNumberMasked: string;
  phoneMasked: string | null;
}

export function peopleOf(me: Me | null | undefined): Person[] {
  if (!me?.profile) return [];
  const self: Person = {
    residentId: me.profile.residentId,
    name: me.profile.name,
    relation: "本人",
    self: true,
    age: me.profile.age,
    groups: me.profile.groups,
    idNumberMasked: me.profile.idNumberMasked,
    phoneMasked: me.profile.phoneMasked,
  };
  const family = me.family.map((m) => ({
    residentId: m.residentId,
    name: m.name,
    relation: labelOf(RELATION_LABELS, m.relation),
    self: false,
    age: m.age,
    groups: m.groups,
    idNumberMasked: m.idNumberMasked,
    phoneMasked: m.phoneMasked,
  }));
  return [self, ...family];
}

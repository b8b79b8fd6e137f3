import type { SurveyAnswerInput, SurveyQuestionFieldsFragment } from "@/gql/graphql";

/** One question's answer as the form keeps it. */
export interface AnswerDraft {
  single: number | null;
  multiple: number[];
  rating: number;
  text: string;
}

export function emptyDraft(): AnswerDraft {
  return { single: null, multiple: [], rating: 0, text: "" };
}

/** Returns whether the draft answers the question at all. */
export function isAnswered(question: SurveyQuestionFieldsFragment, draft: AnswerDraft): boolean {
  switch (question.kind) {
    case "SINGLE":
      return draft.single !== null;
    case "MULTIPLE":
      return draft.multiple.length > 0;
    case "RATING":
      return draft.rating > 0;
    default:
      return draft.text.trim().length > 0;
  }
}

/** Builds the mutation's answers from the drafts, leaving unanswered questions out. */
export function toAnswerInputs(
  questions: readonly SurveyQuestionFieldsFragment[],
  drafts: Record<string, AnswerDraft>,
): SurveyAnswerInput[] {
  const inputs: SurveyAnswerInput[] = [];
  for (const question of questions) {
    const draft = drafts[question.id];
    if (!draft || !isAnswered(question, draft)) {
      continue;
    }
    if (question.kind === "SINGLE") {
      inputs.push({ questionId: question.id, optionIndexes: [draft.single as number] });
    } else if (question.kind === "MULTIPLE") {
      inputs.push({ questionId: question.id, optionIndexes: [...draft.multiple].sort((a, b) => a - b) });
    } else if (question.kind === "RATING") {
      inputs.push({ questionId: question.id, rating: draft.rating });
    } else {
      inputs.push({ questionId: question.id, text: draft.text.trim() });
    }
  }
  return inputs;
}

/** Returns the positions of required questions still unanswered. */
export function missingRequired(
  questions: readonly SurveyQuestionFieldsFragment[],
  drafts: Record<string, AnswerDraft>,
): number[] {
  return questions
    .filter((question) => question.required && !isAnswered(question, drafts[question.id] ?? emptyDraft()))
    .map((question) => question.position);
}

/** Returns a bar's width in percent of the largest count, 0 when nothing was counted. */
export function barPercent(count: number, total: number): number {
  if (total <= 0) {
    return 0;
  }
  return Math.round((count / total) * 100);
}

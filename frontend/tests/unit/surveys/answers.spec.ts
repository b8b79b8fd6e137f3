import { describe, expect, it } from "vitest";

import type { SurveyQuestionFieldsFragment } from "@/gql/graphql";
import { barPercent, emptyDraft, missingRequired, toAnswerInputs } from "@/views/surveys/answers";
import { browserToken } from "@/views/surveys/browserToken";

const QUESTIONS: SurveyQuestionFieldsFragment[] = [
  { id: "1", position: 1, kind: "SINGLE", text: "单位类型", required: true, options: ["企业", "机构"] },
  { id: "2", position: 2, kind: "MULTIPLE", text: "办理业务", required: true, options: ["备案", "检定", "查询"] },
  { id: "3", position: 3, kind: "RATING", text: "满意度", required: true, options: [] },
  { id: "4", position: 4, kind: "TEXT", text: "建议", required: false, options: [] },
];

describe("survey answers", () => {
  it("builds inputs only for answered questions", () => {
    const drafts = {
      "1": { ...emptyDraft(), single: 1 },
      "2": { ...emptyDraft(), multiple: [2, 0] },
      "3": { ...emptyDraft(), rating: 4 },
      "4": emptyDraft(),
    };

    expect(toAnswerInputs(QUESTIONS, drafts)).toEqual([
      { questionId: "1", optionIndexes: [1] },
      { questionId: "2", optionIndexes: [0, 2] },
      { questionId: "3", rating: 4 },
    ]);
  });

  it("lists unanswered required questions by position", () => {
    const drafts = { "1": emptyDraft(), "2": emptyDraft(), "3": { ...emptyDraft(), rating: 2 }, "4": emptyDraft() };

    expect(missingRequired(QUESTIONS, drafts)).toEqual([1, 2]);
  });

  it("computes bar widths from the response count", () => {
    expect(barPercent(3, 4)).toBe(75);
    expect(barPercent(0, 0)).toBe(0);
  });

  it("keeps one browser token", () => {
    const first = browserToken(window.localStorage);
    const second = browserToken(window.localStorage);

    expect(first).toHaveLength(48);
    expect(second).toBe(first);
  });
});

import { afterEach, describe, expect, it, vi } from "vitest";

import { createFakeGraphQLFetch, mountRoute, type RecordedRequest, ROUTE_TIMEOUT } from "../helpers";

function survey(answered: boolean) {
  return {
    data: {
      surveyToFill: {
        __typename: "Survey",
        id: "7",
        title: "计量服务满意度调查",
        description: "请如实填写。",
        organisationName: "河南省市场监督管理局",
        closesAt: "2026-12-31T00:00:00+08:00",
        answered,
        questions: [
          {
            __typename: "SurveyQuestion",
            id: "11",
            position: 1,
            kind: "SINGLE",
            text: "单位类型",
            required: true,
            options: ["企业", "机构"],
          },
        ],
      },
    },
  };
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("SurveyFillView", () => {
  it("sends the browser token and shows the questions", async () => {
    const server = createFakeGraphQLFetch(() => survey(false));
    const { wrapper } = await mountRoute("/surveys/7", server.fetch);

    await vi.waitFor(() => expect(wrapper.find('[data-testid="survey-form"]').exists()).toBe(true), ROUTE_TIMEOUT);
    const fill = server.requests.find((request) => request.body?.operationName === "SurveyToFill");
    expect(fill?.body?.variables?.browserToken).toMatch(/^[0-9a-f]{48}$/);
    expect(wrapper.get('[data-testid="survey-question-1"]').text()).toContain("单位类型");
  });

  it("refuses a second response", async () => {
    const server = createFakeGraphQLFetch((request: RecordedRequest) => survey(request.body?.operationName === "SurveyToFill"));
    const { wrapper } = await mountRoute("/surveys/7", server.fetch);

    await vi.waitFor(() => expect(wrapper.find('[data-testid="survey-already-answered"]').exists()).toBe(true), ROUTE_TIMEOUT);
    expect(wrapper.find('[data-testid="survey-form"]').exists()).toBe(false);
  });
});

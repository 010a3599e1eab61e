// gatehouse teams: the caller's teams, their members and roles, and invitations by email. The
// invitation email (with its single-use link) is sent by the server; the CLI never sees the token.
import { parseChoice } from "../args.ts";
import { seg, type Group } from "../command.ts";
import { columnsOf, table } from "../output.ts";

const ROLES = ["owner", "admin", "viewer"];

interface Team {
  id: string;
  name: string;
  role: string;
  memberCount: number;
  appCount: number;
}

interface Member {
  developerId: string;
  name: string;
  email: string;
  role: string;
  joinedAt: string;
}

interface Invitation {
  id: string;
  email: string;
  role: string;
  expiresAt: string;
}

const teamColumns = columnsOf<Team>({ id: "id", name: "name", role: "role", members: "memberCount", apps: "appCount" });
const memberColumns = columnsOf<Member>({ developer: "developerId", name: "name", email: "email", role: "role", joined: "joinedAt" });

export const teams: Group = {
  summary: "Teams you belong to: members, roles and invitations",
  commands: {
    list: {
      summary: "List your teams with your role in each",
      async run({ client }) {
        const page = await client.get<{ items: Team[] }>("/teams");
        return { data: page, text: table(page.items, teamColumns) };
      },
    },
    create: {
      summary: "Create a team (you become its owner)",
      args: ["<name>"],
      async run({ client, args }) {
        const team = await client.post<Team>("/teams", { name: args[0] });
        return { data: team, text: `Created team ${team.name} (${team.id})` };
      },
    },
    members: {
      summary: "List a team's members and their roles",
      args: ["<team-id>"],
      async run({ client, args }) {
        const page = await client.get<{ items: Member[] }>(`/teams/${seg(args[0]!)}/members`);
        return { data: page, text: table(page.items, memberColumns) };
      },
    },
    invite: {
      summary: "Invite an email address to a team (the server emails a link valid for 7 days)",
      args: ["<team-id>", "<email>"],
      usage: "[--role owner|admin|viewer]",
      options: { role: { type: "string" } },
      async run({ client, args, opts }) {
        const role = opts.has("role") ? parseChoice("role", opts.string("role")!, ROLES) : "viewer";
        const invitation = await client.post<Invitation>(`/teams/${seg(args[0]!)}/invitations`, { email: args[1], role });
        return { data: invitation, text: `Invited ${invitation.email} as ${invitation.role} (invitation ${invitation.id}, expires ${invitation.expiresAt})` };
      },
    },
    "remove-member": {
      summary: "Remove a member from a team (they lose its apps at once)",
      args: ["<team-id>", "<developer-id>"],
      async run({ client, args }) {
        await client.delete(`/teams/${seg(args[0]!)}/members/${seg(args[1]!)}`);
        return { data: undefined, text: `Removed ${args[1]} from team ${args[0]}` };
      },
    },
    "set-role": {
      summary: "Change a member's role",
      args: ["<team-id>", "<developer-id>", "<role>"],
      async run({ client, args }) {
        const role = parseChoice("role", args[2]!, ROLES);
        const member = await client.patch<Member>(`/teams/${seg(args[0]!)}/members/${seg(args[1]!)}`, { role });
        return { data: member, text: `${member.email} is now ${member.role} of team ${args[0]}` };
      },
    },
  },
};

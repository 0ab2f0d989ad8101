import type { Dictionary } from './en.ts';

export const ptBR: Dictionary = {
  'app.name': 'Desk',
  'app.skipToContent': 'Pular para o conteúdo',
  'app.loading': 'Carregando…',
  'app.offline': 'Você está offline. Mostrando o que este aparelho tem guardado.',

  'nav.label': 'Principal',
  'nav.tickets': 'Tickets',
  'nav.users': 'Usuários',
  'nav.intents': 'Intenções',
  'nav.integrations': 'Integrações',
  'nav.team': 'Equipe',
  'nav.settings': 'Ajustes',

  'login.title': 'Entrar no Desk',
  'login.email': 'E-mail',
  'login.password': 'Senha',
  'login.submit': 'Entrar',
  'login.emailRequired': 'Informe seu e-mail.',
  'login.emailInvalid': 'Informe um e-mail válido.',
  'login.passwordRequired': 'Informe sua senha.',

  'errors.network': 'Não foi possível falar com o servidor. Verifique sua conexão e tente de novo.',
  'errors.unexpected': 'Algo deu errado. Tente de novo.',
  'errors.notAllowedTitle': 'Sem permissão',
  'errors.notAllowed': 'Seu perfil não dá acesso a esta página.',
  'errors.notFoundTitle': 'Página não encontrada',
  'errors.notFound': 'Não há nada neste endereço.',
  'errors.backHome': 'Ir para os tickets',

  'tickets.empty': 'Nenhum ticket ainda.',
  'users.empty': 'Nenhum usuário ainda.',
  'intents.empty': 'Nenhuma intenção ainda.',
  'integrations.empty': 'Nenhuma integração ainda.',
  'team.empty': 'Nenhum membro na equipe ainda.',

  'settings.language': 'Idioma',
  'settings.languageHelp': 'O idioma deste app neste aparelho.',
  'settings.account': 'Conta',
  'settings.signedInAs': 'Conectado como {name} ({email})',
  'settings.signOut': 'Sair',
  'settings.signingOut': 'Saindo…',
  'settings.sound': 'Som de notificação',
  'settings.soundSoon': 'As opções de som para novas mensagens aparecerão aqui.',

  'update.available': 'Uma nova versão está disponível.',
  'update.reload': 'Recarregar',
  'update.later': 'Depois',
};

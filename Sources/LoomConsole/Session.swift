import LoomLang

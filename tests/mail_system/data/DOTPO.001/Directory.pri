! Extracted from DOTPO (test set)
DIRECTORY
Obj-Class,Mode,Common-Name,Display-Name,Surname,Given-Name,Secondary-Proxy-Addresses,Home-Server
Mailbox,Create,JDoe,Jamie Doe,Doe,Jamie,"MIGRATE:CCMAIL:Doe, Jamie at DOTPO",~Server

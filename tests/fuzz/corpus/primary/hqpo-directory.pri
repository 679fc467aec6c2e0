! Extracted from HQPO (synthetic example)
DIRECTORY
Obj-Class,Mode,Common-Name,Display-Name,Surname,Given-Name,Secondary-Proxy-Addresses,Home-Server
Mailbox,Create,AQuinn,Avery Quinn,Quinn,Avery,"MIGRATE:CCMAIL:Quinn, Avery at HQPO",~Server
Mailbox,Create,JLee,Jordan Lee,Lee,Jordan,"MIGRATE:CCMAIL:Lee, Jordan at HQPO",~Server

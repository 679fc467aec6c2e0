DIRECTORY
Obj-Class,Mode,Common-Name,Display-Name,Surname,Given-Name,Secondary-Proxy-Addresses,Home-Server
Mailbox,Create,AAngstrom,Åsa Ångström,Ångström,Åsa,"MIGRATE:CCMAIL:Ångström, Åsa at HQPO",~Server
Mailbox,Create,JMuller,Jörg Müller,Müller,Jörg,"MIGRATE:CCMAIL:Müller, Jörg at HQPO",~Server
Mailbox,Create,ZBronte,Zoë Brontë,Brontë,Zoë,"MIGRATE:CCMAIL:Brontë, Zoë at HQPO",~Server
Mailbox,Create,EPrice,Euro Price,Price,Euro,"MIGRATE:CCMAIL:Price€, Euro at HQPO",~Server
